package io.jvmroute.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP handling through the JDK's {@code sun.misc.Signal} (jdk.unsupported), where the platform has it. */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /**
     * Runs {@code action} on every SIGHUP.
     *
     * @return false where SIGHUP cannot be handled: the platform has none, or the process was started with it
     *         ignored ({@code nohup}), which the JVM then keeps; reload goes through the admin action instead
     */
    static boolean onHangup(Runnable action) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // the JVM leaves a signal ignored at its start ignored: the handler would never run
                LOG.warn("SIGHUP is ignored in this process (started with nohup?); reload through the admin action instead");
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP is not available here ({}); reload through the admin action instead", e.getMessage());
            return false;
        }
    }
}
