package io.jvmroute.balancer;

import io.jvmroute.balancer.routing.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Idle client connections and idle pooled worker connections are closed on time. */
class TimeoutsTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void anIdleClientConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        f.backends(1).start("balancer.idle_timeout=300ms\n");

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
            s.setSoTimeout(5000);
            long start = System.nanoTime();

            assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the balancer, not timed out here
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void anIdlePooledWorkerConnectionIsClosedAfterThePoolIdleTimeout() throws Exception {
        f.backends(1).start("balancer.pool.idle_timeout=300ms\n");
        WorkerState jvm1 = f.balancer.runtime().router().workers().get(0);

        f.get("/");
        assertThat(f.balancer.pools().openConnections(jvm1)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(3)).until(() -> f.balancer.pools().openConnections(jvm1) == 0);
    }
}
