package io.jvmroute.balancer;

import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16, item 16: the admin listener against DNS rebinding, an optional token for reads, reloads off the proxy's loops. */
class AdminHardeningTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    /** A GET on the admin listener with a Host header the test chooses (HttpClient will not let it). */
    private String adminGet(String path, String host, String... extraLines) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.balancer.adminAddress().getPort()), 5000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            for (String line : extraLines) {
                req.append(line).append("\r\n");
            }
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aHostNameOtherThanLocalhostOrAnAllowedOneIsRefused() throws Exception {
        f.backends(1).start("balancer.admin.hosts=lb.internal\n");
        int port = f.balancer.adminAddress().getPort();

        assertThat(adminGet("/status.json", "attacker.example:" + port)).startsWith("HTTP/1.1 421 ");
        assertThat(adminGet("/metrics", "rebound.attacker.example")).startsWith("HTTP/1.1 421 ");
        assertThat(adminGet("/status.json", "127.0.0.1:" + port)).startsWith("HTTP/1.1 200 ");
        assertThat(adminGet("/status.json", "localhost:" + port)).startsWith("HTTP/1.1 200 ");
        assertThat(adminGet("/status.json", "[::1]:" + port)).startsWith("HTTP/1.1 200 ");
        assertThat(adminGet("/status.json", "LB.internal:" + port)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void theStatusCanRequireTheToken() throws Exception {
        f.backends(1).start("balancer.admin.token=s3cret\nbalancer.admin.token_for_status=true\n");

        assertThat(adminGet("/status.json", "127.0.0.1")).startsWith("HTTP/1.1 401 ");
        assertThat(adminGet("/metrics", "127.0.0.1", "Authorization: Bearer wrong")).startsWith("HTTP/1.1 401 ");
        assertThat(adminGet("/metrics", "127.0.0.1", "Authorization: Bearer s3cret")).startsWith("HTTP/1.1 200 ")
                .contains("jvmroute_worker_up");
    }

    /** A reload that blocks (a slow disk, a held lock) must not stall traffic on any proxy event loop. */
    @Test
    void aSlowReloadStallsNoProxyTraffic() throws Exception {
        f.backends(1).start("balancer.admin.token=s3cret\n");
        String properties = f.properties("balancer.admin.token=s3cret\n");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reloading = new CountDownLatch(1);
        f.balancer.reloadFrom(() -> {
            reloading.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WorkersPropertiesParser.parse("test.properties", properties); // the same file, read slowly
        });
        CompletableFuture<String> reload = CompletableFuture.supplyAsync(() -> {
            try {
                return f.send(java.net.http.HttpRequest.newBuilder(f.adminUri("/action"))
                        .header("Authorization", "Bearer s3cret").header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("action=reload")).build()).body();
            } catch (Exception e) {
                return e.toString();
            }
        });
        try {
            assertThat(reloading.await(10, TimeUnit.SECONDS)).isTrue();
            // new connections are spread over both proxy loops: each must be served while the reload waits
            for (int i = 0; i < 6; i++) {
                assertThat(f.raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ");
            }
        } finally {
            release.countDown();
        }
        assertThat(reload.get(20, TimeUnit.SECONDS)).contains("reloaded");
    }
}
