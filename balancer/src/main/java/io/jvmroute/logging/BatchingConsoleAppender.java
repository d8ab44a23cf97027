package io.jvmroute.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A console appender for busy loggers such as the access log: the logging thread (an event loop) only
 * queues the event; one writer thread encodes what has queued up every {@code flushIntervalMillis} and
 * writes it to {@code System.out} in a single {@code write}.
 *
 * <p>Logback's {@code AsyncAppender} in front of a {@code ConsoleAppender} costs a thread wake-up (futex)
 * and a {@code write} syscall per line, about a quarter of the balancer's CPU per proxied request; here
 * neither depends on the request rate. Lines appear at most {@code flushIntervalMillis} late. When the
 * queue is full, lines are dropped rather than requests delayed (as {@code neverBlock} did).
 *
 * <p>The queue is the JDK's, lock-free, bounded by a counter. Nothing of Netty's here: logback starts this
 * appender while SLF4J is still initialising, and Netty's first use logs its platform checks, which SLF4J
 * then intercepts and replays with a three-line warning on every start.
 * <pre>{@code
 * <appender name="ACCESS" class="io.jvmroute.logging.BatchingConsoleAppender">
 *   <encoder><pattern>%d{ISO8601} %msg%n</pattern></encoder>
 *   <queueSize>16384</queueSize>
 *   <flushIntervalMillis>20</flushIntervalMillis>
 * </appender>}</pre>
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 16384;
    private long flushIntervalMillis = 20;

    private final Queue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    /** Events queued and not yet taken by the writer: the bound on {@link #queue}. */
    private final AtomicInteger queued = new AtomicInteger();
    private Thread writer;
    private volatile boolean running;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize: " + queueSize + " (expected: > 0)");
        }
        this.queueSize = queueSize;
    }

    public void setFlushIntervalMillis(long flushIntervalMillis) {
        if (flushIntervalMillis < 1) {
            throw new IllegalArgumentException("flushIntervalMillis: " + flushIntervalMillis + " (expected: > 0)");
        }
        this.flushIntervalMillis = flushIntervalMillis;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named [" + name + "].");
            return;
        }
        running = true;
        writer = new Thread(this::writeLoop, "BatchingConsoleAppender-" + name);
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (queued.incrementAndGet() > queueSize) {
            queued.decrementAndGet(); // full: dropped, never blocks the caller
            return;
        }
        event.prepareForDeferredProcessing();
        queue.offer(event);
    }

    private void writeLoop() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(64 * 1024);
        while (running) {
            drain(batch);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis));
        }
        drain(batch);
    }

    private void drain(ByteArrayOutputStream batch) {
        try {
            for (ILoggingEvent e; (e = queue.poll()) != null; ) {
                queued.decrementAndGet();
                batch.writeBytes(encoder.encode(e));
                if (batch.size() >= 60 * 1024) {
                    flush(batch);
                }
            }
            flush(batch);
        } catch (RuntimeException e) {
            batch.reset();
            addError("could not write log lines", e);
        }
    }

    private static void flush(ByteArrayOutputStream batch) {
        if (batch.size() > 0) {
            PrintStream out = System.out;
            try {
                batch.writeTo(out); // one write(2): the batch is larger than System.out's buffer
            } catch (IOException e) {
                throw new UncheckedIOException(e); // PrintStream does not throw; kept for the signature
            }
            out.flush();
            batch.reset();
        }
    }
}
