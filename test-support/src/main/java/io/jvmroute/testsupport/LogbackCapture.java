package io.jvmroute.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@link LogCapture} of one Logback logger: a list appender attached while open. Holds Logback types only in
 * fields, so modules without Logback load {@link LogCapture} safely as long as they never ask for this one.
 */
final class LogbackCapture extends LogCapture {

    private final Logger logger;
    private final Level levelBefore;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogbackCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        levelBefore = logger.getLevel();
        appender.start();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
    }

    @Override
    public List<String> messages() {
        synchronized (appender) { // AppenderBase.doAppend appends to the list holding this lock
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
        appender.stop();
    }
}
