package io.jvmroute.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchingConsoleAppenderTest {

    /** Starts {@code appender} (message-only lines) in a context of its own; returns the logger that feeds it. */
    private static Logger logTo(BatchingConsoleAppender appender) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setName("TEST");
        appender.setEncoder(encoder);
        appender.start();
        Logger logger = context.getLogger("access");
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        return logger;
    }

    @Test
    void everyLineReachesStandardOutputInOrderByTheTimeTheAppenderStops() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            BatchingConsoleAppender appender = new BatchingConsoleAppender();
            appender.setFlushIntervalMillis(5);
            Logger logger = logTo(appender);

            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                logger.info("line {} of {}", i, 5000);
                expected.append("line ").append(i).append(" of 5000").append(System.lineSeparator());
            }
            appender.stop();

            assertEquals(expected.toString(), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    /** Issue 16, item 15: a full queue drops lines (never blocks a request), but says so and counts them. */
    @Test
    void droppedLinesAreCountedAndReportedInTheOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            BatchingConsoleAppender appender = new BatchingConsoleAppender();
            appender.setQueueSize(10);
            appender.setFlushIntervalMillis(60_000); // the writer waits: the burst overflows the queue
            Logger logger = logTo(appender);

            for (int i = 0; i < 100; i++) {
                logger.info("line {}", i);
            }
            appender.stop();

            String out = captured.toString(StandardCharsets.UTF_8);
            long written = out.lines().filter(l -> l.startsWith("line ")).count();
            long reported = out.lines().filter(l -> l.contains("log lines dropped"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll(".*: (\\d+) log lines dropped.*", "$1"))).sum();
            assertEquals(appender.dropped(), reported);
            assertEquals(100, written + reported);
            assertEquals(true, reported >= 90 - 10, "most of the burst was dropped: " + reported);
        } finally {
            System.setOut(original);
        }
    }
}
