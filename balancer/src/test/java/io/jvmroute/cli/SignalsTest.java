package io.jvmroute.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SignalsTest {

    @Test
    void aHangupRunsTheReloadActionInsteadOfEndingTheProcess() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        Signals.onHangup(reloads::incrementAndGet);

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();

        await().atMost(Duration.ofSeconds(5)).until(() -> reloads.get() == 1);
    }
}
