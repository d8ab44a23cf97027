package io.jvmroute.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SignalsTest {

    @Test
    void aHangupRunsTheReloadActionInsteadOfEndingTheProcess() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        // A build started under nohup passes SIGHUP ignored to this JVM, which then cannot handle it
        // (the balancer warns and keeps the admin reload): nothing to test there.
        assumeTrue(Signals.onHangup(reloads::incrementAndGet), "SIGHUP is ignored in this process (nohup?)");

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();

        await().atMost(Duration.ofSeconds(5)).until(() -> reloads.get() == 1);
    }
}
