package io.jvmroute.replication;

import java.lang.management.ManagementFactory;

/**
 * What a parser allocates and how long it runs on one input, for the fuzzing properties: a parser of peer data must
 * allocate in proportion to the bytes it was given (not to a length field's claim) and must not hang.
 */
public final class Allocation {

    private Allocation() {
    }

    /** A body that may throw the parser's own refusal. */
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} on this thread; fails if it allocated more than {@code maxBytes} or ran longer than 5 s (a
     * hang guard, not a speed claim). The body's exception, if any, is returned for the caller to judge.
     */
    public static Exception bounded(long maxBytes, Body body) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        Exception thrown = null;
        try {
            body.run();
        } catch (Exception e) {
            thrown = e;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (allocated > maxBytes) {
            throw new AssertionError("allocated " + allocated + " bytes, at most " + maxBytes + " expected", thrown);
        }
        if (millis > 5_000) {
            throw new AssertionError("ran " + millis + " ms on one input", thrown);
        }
        return thrown;
    }
}
