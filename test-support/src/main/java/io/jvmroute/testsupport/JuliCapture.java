package io.jvmroute.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** {@link LogCapture} of one java.util.logging logger: a handler added while open. */
final class JuliCapture extends LogCapture {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        // formatMessage fills {0}-style parameters only when a record has them, as Tomcat's own formatter does.
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                messages.add(formatter.formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    JuliCapture(String name, Level atLeast) {
        logger = Logger.getLogger(name);
        handler.setLevel(atLeast);
        logger.addHandler(handler);
    }

    @Override
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
