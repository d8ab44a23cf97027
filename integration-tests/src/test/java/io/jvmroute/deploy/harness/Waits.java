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
}
