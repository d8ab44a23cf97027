package io.jvmroute.balancer;

import io.jvmroute.config.Activation;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The status page in its three formats, and admin actions: POST only, token and CSRF enforced, reload. */
class AdminTest {

    private final Fixture f = new Fixture();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> adminGet(String path) throws Exception {
        return f.send(HttpRequest.newBuilder(f.adminUri(path)).timeout(Duration.ofSeconds(5)).build());
    }

    private HttpResponse<String> adminPost(String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.adminUri("/action")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return f.send(b.build());
    }

    private Activation activation(String worker) {
        return f.balancer.runtime().router().workers().stream().filter(w -> w.name().equals(worker)).findFirst()
                .orElseThrow().activation();
    }

    @Test
    void theStatusPageShowsEveryWorkerInHtmlJsonAndPrometheusText() throws Exception {
        f.backends(2).start("");
        f.get("/", "Cookie", "JSESSIONID=A.jvm1");

        HttpResponse<String> html = adminGet("/");
        HttpResponse<String> json = adminGet("/status.json");
        HttpResponse<String> metrics = adminGet("/metrics");

        assertThat(html.body()).contains("data-worker=\"jvm1\"", "data-worker=\"jvm2\"", "2 workers: 2 up")
                .doesNotContain("<form");
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'", "form-action 'self'"));
        assertThat(json.body()).contains("\"lb\":\"wlb\"", "\"name\":\"jvm1\"", "\"requests\":1", "\"state\":\"OK\"",
                "\"p99_ms\":", "\"source\":\"test.properties\"", "\"state_text\":\"up\"", "\"sessions_recent\":1,",
                "\"sessions_recent\":0,", "\"recent\":{\"slot_seconds\":5,\"requests\":[");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("jvmroute_worker_requests_total{lb=\"wlb\",worker=\"jvm1\",route=\"jvm1\"} 1",
                "jvmroute_worker_up{lb=\"wlb\",worker=\"jvm2\",route=\"jvm2\"} 1");
    }

    @Test
    void withoutATokenAdminActionsAreOff() throws Exception {
        f.backends(2).start("");

        HttpResponse<String> r = adminPost("action=stop&worker=jvm1", "Authorization", "Bearer anything");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(activation("jvm1")).isEqualTo(Activation.ACTIVE);
    }

    @Test
    void aReadOnlyStatusWorkerKeepsActionsOffEvenWithAToken() throws Exception {
        f.backends(1).start("worker.list=jk-status\nworker.jk-status.type=status\nworker.jk-status.read_only=TRUE\n"
                + "balancer.admin.token=s3cret\n");

        assertThat(adminPost("action=stop&worker=jvm1", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(403);
    }

    @Test
    void aScriptWithTheBearerTokenCanDisableAndActivateAWorker() throws Exception {
        f.backends(2).start("balancer.admin.token=s3cret\n");

        assertThat(adminPost("action=disable&worker=jvm1", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(activation("jvm1")).isEqualTo(Activation.ACTIVE);

        HttpResponse<String> ok = adminPost("action=disable&worker=jvm1", "Authorization", "Bearer s3cret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(activation("jvm1")).isEqualTo(Activation.DISABLED);

        adminPost("action=activate&worker=jvm1", "Authorization", "Bearer s3cret");
        assertThat(activation("jvm1")).isEqualTo(Activation.ACTIVE);
    }

    @Test
    void aGetNeverChangesAnything() throws Exception {
        f.backends(2).start("balancer.admin.token=s3cret\n");

        HttpResponse<String> r = f.send(HttpRequest.newBuilder(f.adminUri("/action?action=stop&worker=jvm1&token=s3cret"))
                .header("Authorization", "Bearer s3cret").build());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(activation("jvm1")).isEqualTo(Activation.ACTIVE);
    }

    @Test
    void theHtmlFormsNeedThePagesCsrfTokenBesideTheAdminToken() throws Exception {
        f.backends(2).start("balancer.admin.token=s3cret\n");
        String page = adminGet("/").body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();

        HttpResponse<String> forged = adminPost("action=stop&worker=jvm1&token=s3cret");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF");
        assertThat(adminPost("action=stop&worker=jvm1&token=s3cret&csrf=" + "0".repeat(48)).statusCode()).isEqualTo(403);
        assertThat(activation("jvm1")).isEqualTo(Activation.ACTIVE);

        HttpResponse<String> fromPage = adminPost("action=stop&worker=jvm1&token=s3cret&csrf=" + csrf.group(1));
        assertThat(fromPage.statusCode()).isEqualTo(303);
        assertThat(activation("jvm1")).isEqualTo(Activation.STOPPED);
    }

    @Test
    void resetClearsTheCounters() throws Exception {
        f.backends(1).start("balancer.admin.token=s3cret\n");
        f.get("/");

        adminPost("action=reset", "Authorization", "Bearer s3cret");

        assertThat(f.balancer.runtime().router().workers().get(0).requests()).isZero();
    }

    @Test
    void reloadSwitchesToTheNewFileAndRefusesABrokenOneKeepingTheOld() throws Exception {
        f.backends(3);
        Path file = dir.resolve("workers.properties");
        String twoWorkers = f.properties("balancer.admin.token=s3cret\n")
                .replace("balance_workers=jvm1,jvm2,jvm3", "balance_workers=jvm1,jvm2");
        Files.writeString(file, twoWorkers);
        f.start(WorkersPropertiesParser.parse(file));
        f.balancer.reloadFrom(() -> WorkersPropertiesParser.parse(file));
        Files.writeString(file, twoWorkers.replace("balance_workers=jvm1,jvm2", "balance_workers=jvm1,jvm2,jvm3"));

        HttpResponse<String> reloaded = adminPost("action=reload", "Authorization", "Bearer s3cret");
        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(f.balancer.runtime().router().workers()).hasSize(3);
        assertThat(f.get("/", "Cookie", "JSESSIONID=A.jvm3").body()).isEqualTo("jvm3");

        Files.writeString(file, twoWorkers + "worker.jvm1.port=not-a-port\n");
        HttpResponse<String> refused = adminPost("action=reload", "Authorization", "Bearer s3cret");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("worker.jvm1.port: not-a-port");
        assertThat(f.balancer.runtime().router().workers()).hasSize(3);
        assertThat(f.get("/", "Cookie", "JSESSIONID=A.jvm3").body()).isEqualTo("jvm3");
    }
}
