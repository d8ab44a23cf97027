package io.jvmroute.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP handling through the JDK's {@code sun.misc.Signal} (jdk.unsupported), where the platform has it. */
final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP is not available here ({}); reload through the admin action instead", e.getMessage());
        }
    }
}
