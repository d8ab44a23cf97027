package io.jvmroute.deploy.harness;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/** Waiting for a condition that only shows from outside (a container's state, an HTTP answer): Awaitility. */
public final class Waits {

    private Waits() {
    }

    public static void until(String what, Duration atMost, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO)
                .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
                .until(condition);
    }

    /** Whether the condition came true within {@code atMost} (false, not an exception, when it did not). */
    public static boolean holdsWithin(Duration atMost, Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException notYet) {
            return false;
        }
    }
}
