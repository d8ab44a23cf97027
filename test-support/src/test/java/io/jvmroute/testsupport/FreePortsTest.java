package io.jvmroute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    private static final String A = "127.0.0.81";
    private static final String B = "127.0.0.82";

    @Test
    void aPortPickedFreeOnSeveralAddressesCanBeBoundOnEachOfThem() throws IOException {
        int port = FreePorts.on(A, B);

        try (ServerSocket onA = new ServerSocket(); ServerSocket onB = new ServerSocket()) {
            onA.bind(new InetSocketAddress(A, port));
            onB.bind(new InetSocketAddress(B, port));
            assertThat(onA.isBound() && onB.isBound()).isTrue();
        }
    }

    @Test
    void aStartThatLostItsPickedPortToAnotherSocketRunsAgainOnAFreshPort() throws Exception {
        List<Integer> picked = new ArrayList<>();
        try (ServerSocket squatter = new ServerSocket()) {
            int bound = FreePorts.retryOnLostPort(started -> {
                int port = FreePorts.on(A);
                picked.add(port);
                if (picked.size() == 1) { // another socket takes the port between the pick and the bind
                    squatter.bind(new InetSocketAddress(A, port));
                }
                try (ServerSocket server = new ServerSocket()) {
                    server.bind(new InetSocketAddress(A, port));
                    return server.getLocalPort();
                }
            });

            assertThat(picked).hasSize(2);
            assertThat(bound).isEqualTo(picked.get(1)).isNotEqualTo(squatter.getLocalPort());
        }
    }

    @Test
    void whatAFailedAttemptStartedIsClosedBeforeTheNextAttempt() throws Exception {
        List<String> closed = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();

        String result = FreePorts.retryOnLostPort(started -> {
            int attempt = attempts.incrementAndGet();
            started.add(() -> closed.add("first of attempt " + attempt));
            started.add(() -> closed.add("second of attempt " + attempt));
            if (attempt == 1) {
                throw new IllegalStateException("start failed", new BindException("Address already in use"));
            }
            return "started";
        });

        assertThat(result).isEqualTo("started");
        assertThat(closed).containsExactly("second of attempt 1", "first of attempt 1");
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> closed = new ArrayList<>();

        assertThatThrownBy(() -> FreePorts.retryOnLostPort(started -> {
            attempts.incrementAndGet();
            started.add(() -> closed.add("node"));
            throw new IllegalArgumentException("members: not set");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("members: not set");
        assertThat(attempts).hasValue(1);
        assertThat(closed).containsExactly("node");
    }

    @Test
    void aPortLostAgainAndAgainIsReportedAfterThreeAttempts() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> FreePorts.retryOnLostPort(started -> {
            attempts.incrementAndGet();
            throw new BindException("Address already in use");
        })).isInstanceOf(BindException.class);
        assertThat(attempts).hasValue(FreePorts.ATTEMPTS);
    }

    @Test
    void aStartCheckThatFoundThePortTakenCountsAsALostPort() {
        // RouteCluster probes the port itself and fails its start with one line, no BindException behind it.
        Exception routeCluster = new Exception("members: jvm1=127.0.0.11:4000 but port 4000 on 127.0.0.11 is in use"
                + " by another process (Address already in use)");

        assertThat(FreePorts.isLostPort(new RuntimeException("start failed", routeCluster))).isTrue();
        assertThat(FreePorts.isLostPort(new RuntimeException("members: not set"))).isFalse();
    }
}
