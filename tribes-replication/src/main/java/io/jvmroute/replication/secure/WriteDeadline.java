package io.jvmroute.replication.secure;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking socket writes, which have no timeout of their own: a write that runs longer than the deadline
 * has its socket closed from a watchdog thread, so the writer gets an exception instead of waiting for as long as
 * a peer that stopped reading (a long GC pause, a frozen VM, a hostile member) cares to hold it. The sender then
 * reports that peer as faulty, and the frames for the healthy peers are not held up behind it.
 */
final class WriteDeadline {

    /** A blocking write. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    private static final class Entry {
        final Closeable socket;
        final long startedNanos = System.nanoTime();
        volatile boolean expired;

        Entry(Closeable socket) {
            this.socket = socket;
        }
    }

    private final long timeoutNanos;
    private final Set<Entry> writing = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService watchdog;

    WriteDeadline(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    synchronized void start(String threadName) {
        if (watchdog == null) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, threadName);
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(10, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4);
            watchdog.scheduleWithFixedDelay(this::closeExpired, period, period, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop() {
        if (watchdog != null) {
            watchdog.shutdownNow();
            watchdog = null;
        }
    }

    /** Runs {@code write} on {@code socket}; a write past the deadline ends in a {@link SocketTimeoutException}. */
    void run(Closeable socket, Write write) throws IOException {
        Entry entry = new Entry(socket);
        writing.add(entry);
        try {
            write.run();
        } catch (IOException e) {
            if (entry.expired) {
                SocketTimeoutException timeout = new SocketTimeoutException("write blocked for more than "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the peer stopped reading); connection closed");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            writing.remove(entry);
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (Entry entry : writing) {
            if (now - entry.startedNanos > timeoutNanos && !entry.expired) {
                entry.expired = true;
                try {
                    entry.socket.close();
                } catch (IOException | RuntimeException e) {
                    // closed anyway, as far as the blocked writer is concerned
                }
            }
        }
    }
}
