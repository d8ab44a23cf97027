package io.jvmroute.balancer.ajp;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.check.ClusterCheck;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when": the blog's workers.properties (type=ajp13, lb wlb, sticky_session=1, jk-status),
 * unchanged but for where its two nodes are (the seed's 192.168.174.x:20400 become two embedded Tomcats on
 * 127.0.0.1 and free ports), runs in front of two AJP connectors, and {@code jvmroute check} passes on it. The
 * 2012 file has no secret, so its connectors are the pre-Ghostcat kind ({@code secretRequired="false"}).
 */
class ClassicWorkersPropertiesTest {

    @TempDir
    Path dir;
    private AjpTomcat jvm1;
    private AjpTomcat jvm2;
    private Balancer balancer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        jvm1.close();
        jvm2.close();
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theBlogsFileRunsInFrontOfTwoAjpTomcatsAndPassesTheCheck() throws Exception {
        jvm1 = new AjpTomcat("jvm1", null);
        jvm2 = new AjpTomcat("jvm2", null);
        String seed = Files.readString(Path.of("../jvmroute-tools/src/test/resources/seed-workers.properties"));
        Path file = Files.writeString(dir.resolve("workers.properties"), seed
                .replace("worker.jvm1.port=20400", "worker.jvm1.port=" + jvm1.port())
                .replace("worker.jvm1.host=192.168.174.137", "worker.jvm1.host=127.0.0.1")
                .replace("worker.jvm2.port=20400", "worker.jvm2.port=" + jvm2.port())
                .replace("worker.jvm2.host=192.168.174.129", "worker.jvm2.host=127.0.0.1"));

        assertThat(ClusterCheck.check(java.util.List.of(file))).isEmpty();

        WorkersConfig config = WorkersPropertiesParser.parse(file);
        // as `jvmroute balancer --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 workers.properties` does
        BalancerSettings.Builder flags = new BalancerSettings.Builder().from(config.settings());
        flags.set("listen", "127.0.0.1:0");
        flags.set("admin.listen", "127.0.0.1:0");
        balancer = Balancer.start(new WorkersConfig(config.source(), config.lb(), config.workers(), config.status(),
                flags.build(), config.warnings()), 2);
        int front = balancer.frontAddress().getPort();

        HttpResponse<String> login = get(front, "/app/login?user=alice");
        String home = login.body();
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        for (int i = 0; i < 5; i++) {
            assertThat(AjpBackendTest.echo(get(front, "/app/echo", "Cookie", cookie).body()))
                    .containsEntry("node", home).containsEntry("user", "alice");
        }
        HttpResponse<String> other = get(front, "/app/login?user=bob");
        assertThat(other.body()).as("a new user is balanced to the other node (method Request)").isNotEqualTo(home);

        String status = get(balancer.adminAddress().getPort(), "/status.json").body();
        assertThat(status).contains("\"lb\":\"wlb\"").contains("\"name\":\"jvm1\"").contains("\"protocol\":\"ajp13\"");
        assertThat(get(balancer.adminAddress().getPort(), "/metrics").body())
                .contains("jvmroute_worker_info{lb=\"wlb\",worker=\"jvm1\",route=\"jvm1\",protocol=\"ajp13\"} 1");
        assertThat(get(balancer.adminAddress().getPort(), "/").body()).contains("127.0.0.1:" + jvm1.port() + " ajp13");
    }
}
