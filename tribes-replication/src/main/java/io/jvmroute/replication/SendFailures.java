package io.jvmroute.replication;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Batches the lanes failed to replicate: counted (JMX {@code messagesNotReplicated}) and logged as a warning at most
 * once a minute with the count since the last line. A login's failure is also reported by the request that waits
 * for it; a plain delta's has nobody waiting, and used to show only at DEBUG while the peers' copies went stale.
 */
final class SendFailures {

    private static final Log log = LogFactory.getLog(RouteCluster.class); // RouteCluster's messages keep its logger
    private static final StringManager sm = StringManager.getManager(SendFailures.class);
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongAdder messages = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - QUIET_NANOS);

    /** A batch of {@code size} messages failed with {@code cause}. */
    void record(int size, Throwable cause) {
        messages.add(size);
        batches.increment();
        long pending = unreported.addAndGet(size);
        long last = lastLogged.get();
        long now = System.nanoTime();
        if (now - last >= QUIET_NANOS && lastLogged.compareAndSet(last, now)) {
            unreported.addAndGet(-pending);
            log.warn(sm.getString("sendFailures.failed", Long.valueOf(pending), String.valueOf(cause)));
        }
    }

    long messages() {
        return messages.sum();
    }

    long batches() {
        return batches.sum();
    }
}
