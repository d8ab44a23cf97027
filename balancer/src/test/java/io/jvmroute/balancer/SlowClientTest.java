package io.jvmroute.balancer;

import io.jvmroute.balancer.routing.WorkerState;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow and greedy clients (issue 16, items 11 and 12): a head sent a byte at a time, a body that stops, a client
 * that stops reading its response, more connections than allowed. Each must be cut loose in bounded time and
 * free the worker connection it held, while everyone else is served.
 */
class SlowClientTest {

    private final Fixture f = new Fixture();
    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws IOException {
        trickle.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        f.close();
    }

    private Socket connect(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.setSoTimeout(5000);
        s.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
        return s;
    }

    /** Connects, and waits until the balancer counts {@code open} client connections (accepts run on two loops). */
    private Socket connected(String from, int open) throws IOException {
        Socket s = connect(from);
        await().atMost(Duration.ofSeconds(3)).until(() -> f.balancer.clientLimits().open() == open);
        return s;
    }

    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private WorkerState jvm1() {
        return f.balancer.runtime().router().workers().get(0);
    }

    @Test
    void aHeadTrickledAByteAtATimeGets408AtTheHeadTimeout() throws Exception {
        f.backends(1).start("balancer.head_timeout=500ms\n");
        Socket s = connect("127.0.0.1");
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        // a byte every 50 ms: each one would restart an idle timer, none may extend the head's deadline
        trickle.scheduleAtFixedRate(() -> {
            try {
                out.write('a');
                out.flush();
            } catch (IOException closed) {
                throw new IllegalStateException(closed); // ends the schedule once the balancer closed
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();

        String answer;
        try {
            answer = readAll(s);
        } catch (SocketException reset) {
            // the client was still sending when the balancer closed: its kernel may answer the 408 with a reset
            answer = "reset";
        }

        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).startsWith("HTTP/1.1 408 ").contains("connection: close"),
                a -> assertThat(a).isEqualTo("reset"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(f.balancer.clientLimits().headTimeouts()).isEqualTo(1);
        assertThat(f.backend("jvm1").received).isEmpty();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeadTimeoutNotTheIdleTimeout() throws Exception {
        f.backends(1).start("balancer.head_timeout=300ms\nbalancer.idle_timeout=1m\n");
        Socket s = connect("127.0.0.1");

        assertThat(readAll(s)).startsWith("HTTP/1.1 408 ");
    }

    @Test
    void aBodyThatStopsComingGets408AndFreesItsWorkerConnection() throws Exception {
        f.backends(1).start("balancer.body_timeout=300ms\n");
        Socket s = connect("127.0.0.1");
        s.getOutputStream().write(("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100))
                .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();

        String answer = readAll(s);

        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("body");
        await().atMost(Duration.ofSeconds(3)).until(() -> f.balancer.pools().openConnections(jvm1()) == 0);
        assertThat(jvm1().inFlight()).isZero();
        assertThat(f.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatStopsReadingItsResponseIsCutOffAndItsWorkerConnectionFreed() throws Exception {
        f.backends(1).start("balancer.send_timeout=300ms\n");
        String big = "y".repeat(16 << 20);
        f.backend("jvm1").respond((self, ctx, request) -> self.send(ctx, request, HttpResponseStatus.OK, big));
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
        s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> jvm1().inFlight() == 1);

        // the client reads nothing: the balancer must give up on it rather than hold the worker's connection
        await().atMost(Duration.ofSeconds(5)).until(() -> jvm1().inFlight() == 0
                && f.balancer.pools().openConnections(jvm1()) == 0);
        assertThat(f.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionsOverTheCapsGet503AndTheOthersAreServed() throws Exception {
        f.backends(1).start("balancer.max_clients=3\nbalancer.max_clients_per_address=2\n");
        Socket first = connected("127.0.0.1", 1);
        connected("127.0.0.1", 2);

        assertThat(readAll(connect("127.0.0.1"))).startsWith("HTTP/1.1 503 ").contains("max_clients_per_address");
        await().atMost(Duration.ofSeconds(3)).until(() -> f.balancer.clientLimits().open() == 2); // the refused one is gone
        connected("127.0.0.2", 3);
        assertThat(readAll(connect("127.0.0.3"))).startsWith("HTTP/1.1 503 ").contains("balancer.max_clients");
        assertThat(f.balancer.clientLimits().refused()).isEqualTo(2);
        String metrics = f.send(java.net.http.HttpRequest.newBuilder(f.adminUri("/metrics")).build()).body();
        assertThat(metrics).contains("jvmroute_client_connections_refused_total 2\n");

        first.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(readAll(first)).startsWith("HTTP/1.1 200 ");
        await().atMost(Duration.ofSeconds(3)).until(() -> f.balancer.clientLimits().open() == 2);
        assertThat(InetAddress.getByName("127.0.0.3").isLoopbackAddress()).isTrue();
    }
}
