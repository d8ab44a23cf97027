package io.jvmroute.testsupport;

import java.util.List;

/**
 * Records what one logger writes while it is open: JULI (java.util.logging, what Tomcat-side code logs
 * through) or Logback (behind SLF4J, in the balancer and tools). Close it to stop recording.
 */
public abstract class LogCapture implements AutoCloseable {

    LogCapture() {
    }

    /** Records what {@code source}'s JULI logger writes at {@code atLeast} or above. */
    public static LogCapture juli(Class<?> source, java.util.logging.Level atLeast) {
        return new JuliCapture(source.getName(), atLeast);
    }

    /**
     * Records what the Logback logger {@code name} writes at INFO or above; while open, that logger is set to
     * INFO, whatever the test's logback configuration says (so a quiet test log still yields lines).
     */
    public static LogCapture logback(String name) {
        return new LogbackCapture(name);
    }

    /** The formatted messages recorded so far, oldest first. */
    public abstract List<String> messages();

    /** Stops recording; the messages stay readable. */
    @Override
    public abstract void close();
}
