package io.jvmroute.replication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records what one JULI logger (Tomcat's default, java.util.logging) writes at or above a level. */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(Class<?> source, Level level) {
        this.logger = Logger.getLogger(source.getName());
        setLevel(level);
        logger.addHandler(this);
    }

    /** The formatted messages recorded so far. */
    List<String> messages() {
        return records.stream().map(r -> java.text.MessageFormat.format(r.getMessage(),
                r.getParameters() == null ? new Object[0] : r.getParameters())).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
