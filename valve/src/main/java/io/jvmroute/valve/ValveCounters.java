package io.jvmroute.valve;

import java.util.concurrent.atomic.LongAdder;

/** What the valve did, for JMX. Counters only grow, except on {@link #reset()} and valve restart. */
final class ValveCounters {

    /** Sessions taken over from a failed, draining or unknown route (cluster-wide renames). */
    final LongAdder renames = new LongAdder();
    /** Requests with an id whose route had changed, served with the session under its current id. */
    final LongAdder oldIdHits = new LongAdder();
    /** Sessions moved to a peer because this node drains. */
    final LongAdder migrations = new LongAdder();
    /** Failover headers ignored because they came from an untrusted address. */
    final LongAdder refusals = new LongAdder();

    void reset() {
        renames.reset();
        oldIdHits.reset();
        migrations.reset();
        refusals.reset();
    }
}
