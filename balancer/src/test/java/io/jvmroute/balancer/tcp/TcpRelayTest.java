package io.jvmroute.balancer.tcp;

import io.jvmroute.balancer.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The plain TCP relay (CloudStack's agent port 8250): a client keeps its management server by source
 * address, clients spread over the servers, a dead or unhealthy server's clients go to another one and come
 * back when it returns, and bytes pass both ways unchanged.
 */
class TcpRelayTest {

    private final Fixture f = new Fixture();
    private final List<EchoServer> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        f.close();
        agents.forEach(EchoServer::close);
    }

    /** jvm1 and jvm2 (HTTP, for health) with an agent port each: the same port number on 127.0.0.11 and .12. */
    private void start() throws Exception {
        f.backends(2);
        for (int attempt = 0; ; attempt++) {
            EchoServer one = new EchoServer("jvm1", "127.0.0.11").start(0);
            try {
                EchoServer two = new EchoServer("jvm2", "127.0.0.12").start(one.port());
                agents.add(one);
                agents.add(two);
                break;
            } catch (Exception taken) {
                one.close();
                if (attempt == 10) {
                    throw taken;
                }
            }
        }
        f.start("balancer.tcp.listen=127.0.0.1:0\nbalancer.tcp.port=" + agents.get(0).port() + "\n");
    }

    /** Connects from {@code source} (a 127.0.0.x address) and returns the greeting: the server's name. */
    private String serverFor(String source) throws IOException {
        try (Socket s = connect(source)) {
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private Socket connect(String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", f.balancer.tcpAddress().getPort()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** A source address whose server is {@code name} while both are up. */
    private String sourceOf(String name) throws IOException {
        for (int i = 100; i < 200; i++) {
            if (serverFor("127.0.0." + i).equals(name)) {
                return "127.0.0." + i;
            }
        }
        throw new AssertionError("no source address lands on " + name);
    }

    @Test
    void aSourceAddressKeepsItsServerAndSourcesSpreadOverBoth() throws Exception {
        start();
        Set<String> seen = new HashSet<>();
        for (int i = 100; i < 120; i++) {
            String first = serverFor("127.0.0." + i);
            for (int again = 0; again < 3; again++) {
                assertThat(serverFor("127.0.0." + i)).as("source 127.0.0." + i).isEqualTo(first);
            }
            seen.add(first);
        }
        assertThat(seen).containsExactlyInAnyOrder("jvm1", "jvm2");
    }

    @Test
    void aDeadServersClientsGoToTheOtherAndComeBackWhenItReturns() throws Exception {
        start();
        String onOne = sourceOf("jvm1");
        String onTwo = sourceOf("jvm2");
        int port = agents.get(0).port();

        agents.get(0).close(); // jvm1's agent port is gone (its HTTP side still answers health checks)
        assertThat(serverFor(onOne)).isEqualTo("jvm2");
        assertThat(serverFor(onTwo)).isEqualTo("jvm2");

        agents.set(0, new EchoServer("jvm1", "127.0.0.11").start(port));
        assertThat(serverFor(onOne)).isEqualTo("jvm1");
    }

    @Test
    void aServerDownByHealthGetsNoNewConnectionsEvenIfItsPortAccepts() throws Exception {
        start();
        String onOne = sourceOf("jvm1");

        f.backend("jvm1").healthy = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> !f.balancer.runtime().router().workers().get(0).isUp());
        assertThat(serverFor(onOne)).isEqualTo("jvm2");

        f.backend("jvm1").healthy = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> f.balancer.runtime().router().workers().get(0).isUp());
        assertThat(serverFor(onOne)).isEqualTo("jvm1");
    }

    @Test
    void theStatusShowsTheConnectionsRelayedToEachWorker() throws Exception {
        start();
        String onOne = sourceOf("jvm1");
        var jvm1 = f.balancer.runtime().router().workers().get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> jvm1.relayedConnections() == 0);

        try (Socket agent = connect(onOne)) {
            assertThat(new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine()).isEqualTo("jvm1");
            await().atMost(Duration.ofSeconds(5)).until(() -> jvm1.relayedConnections() == 1);
            String json = f.send(java.net.http.HttpRequest.newBuilder(f.adminUri("/status.json")).build()).body();
            assertThat(json).contains("\"name\":\"jvm1\"", "\"tcp_connections\":1,", "\"tcp_connections\":0,");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> jvm1.relayedConnections() == 0);
    }

    @Test
    void bytesPassBothWaysUnchanged() throws Exception {
        start();
        byte[] payload = new byte[4 << 20];
        new Random(7).nextBytes(payload);
        try (Socket s = connect("127.0.0.100")) {
            InputStream in = s.getInputStream();
            int c;
            while ((c = in.read()) != '\n') {
                assertThat(c).isNotNegative();
            }
            OutputStream out = s.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(payload);
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = in.readNBytes(payload.length);
            writing.join();
            assertThat(back).isEqualTo(payload);
        }
    }
}
