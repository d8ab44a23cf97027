package io.jvmroute.replication;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side's account of one state transfer: sessions received so far and the count the sender
 * announced in its TRANSFERCOMPLETE message, so that a node that did not get the whole state says so.
 */
final class StateTransfer {

    /** The sender's count travels as the 4-byte payload of TRANSFERCOMPLETE, which stock Tomcat leaves empty. */
    static byte[] encodeCount(int count) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(count).array();
    }

    /** The announced count, or -1 if the sender did not announce one (a stock DeltaManager). */
    static int decodeCount(byte[] data) {
        return data != null && data.length == Integer.BYTES ? ByteBuffer.wrap(data).getInt() : -1;
    }

    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile int announced = -1;
    private final AtomicLong started = new AtomicLong();

    void reset() {
        received.set(0);
        batches.set(0);
        announced = -1;
        started.set(System.nanoTime());
    }

    /** @return the number of sessions received so far */
    int batchReceived(int sessions) {
        batches.incrementAndGet();
        return received.addAndGet(sessions);
    }

    void completed(int announcedCount) {
        this.announced = announcedCount;
    }

    int received() {
        return received.get();
    }

    int batches() {
        return batches.get();
    }

    int announced() {
        return announced;
    }

    long elapsedMillis() {
        return (System.nanoTime() - started.get()) / 1_000_000;
    }
}
