package io.jvmroute.balancer.jetty;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CloudStack as it runs today: two management servers on embedded Jetty (real Jetty 12) whose session
 * cookies end in {@code .node1} / {@code .node2} (Jetty appends its worker name, {@code "node" +
 * JETTY_WORKER_INSTANCE}), behind the balancer configured as an operator writes it: workers named after
 * the management servers, each with {@code route=} its Jetty worker name. A logged-in user stays on the
 * server that has the session; when it dies, the next request goes to the other server, which does not
 * know the session (Jetty keeps sessions in memory): the user logs in again there and stays there.
 */
class CloudStackJettyTest {

    private final List<JettyServer> servers = new ArrayList<>();
    private Balancer balancer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (JettyServer s : servers) {
            s.close();
        }
    }

    private void start() throws Exception {
        servers.add(new JettyServer("127.0.0.21", "node1"));
        servers.add(new JettyServer("127.0.0.22", "node2"));
        StringBuilder p = new StringBuilder("worker.list=cloudstack\nworker.cloudstack.type=lb\n"
                + "worker.cloudstack.balance_workers=ms1,ms2\n");
        for (int i = 0; i < 2; i++) {
            JettyServer s = servers.get(i);
            String w = "worker.ms" + (i + 1) + ".";
            p.append(w).append("type=http\n").append(w).append("host=").append(s.host()).append('\n')
                    .append(w).append("port=").append(s.port()).append('\n')
                    .append(w).append("route=").append(s.workerName).append('\n');
        }
        p.append("balancer.listen=127.0.0.1:0\nbalancer.admin.listen=127.0.0.1:0\nbalancer.health.interval=100ms\n"
                + "balancer.health.path=/client/api?command=ping\nbalancer.connect_timeout=500ms\nbalancer.shutdown_timeout=1s\n");
        balancer = Balancer.start(WorkersPropertiesParser.parse("cloudstack.properties", p.toString()), 2);
    }

    private HttpResponse<String> api(String command, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer.frontAddress().getPort()
                + "/client/api?command=" + command)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSESSIONID=... pair of the answer's Set-Cookie. */
    private static String sessionCookie(HttpResponse<String> r) {
        String set = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElseThrow(() -> new AssertionError("no JSESSIONID cookie in " + r.headers()));
        return set.substring(0, set.indexOf(';') < 0 ? set.length() : set.indexOf(';'));
    }

    private JettyServer server(String workerName) {
        return servers.stream().filter(s -> s.workerName.equals(workerName)).findFirst().orElseThrow();
    }

    @Test
    void aLoggedInUserStaysOnItsJettyServerAndLogsInAgainOnTheOtherWhenItDies() throws Exception {
        start();

        HttpResponse<String> login = api("login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = sessionCookie(login);
        String home = login.body().substring("logged in on ".length());
        assertThat(cookie).as("Jetty's id: worker name first, '.' + worker name last").matches("JSESSIONID="
                + home + "[0-9a-z]+\\." + home);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = api("listZones", cookie);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("admin on " + home);
        }

        server(home).close(); // the management server of this user dies
        String other = home.equals("node1") ? "node2" : "node1";
        HttpResponse<String> after = api("listZones", cookie);
        assertThat(after.statusCode()).as("no 5xx: the other server answers, without the session").isEqualTo(401);
        assertThat(after.body()).isEqualTo("not logged in on " + other);

        HttpResponse<String> again = api("login", cookie);
        assertThat(again.body()).isEqualTo("logged in on " + other);
        String newCookie = sessionCookie(again);
        assertThat(newCookie).endsWith("." + other);
        for (int i = 0; i < 5; i++) {
            assertThat(api("listZones", newCookie).body()).isEqualTo("admin on " + other);
        }
    }

    @Test
    void newUsersAreSpreadOverBothServersAndEachStaysOnItsOwn() throws Exception {
        start();
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            cookies.add(sessionCookie(api("login", null)));
        }

        assertThat(cookies).anyMatch(c -> c.endsWith(".node1")).anyMatch(c -> c.endsWith(".node2"));
        for (String c : cookies) {
            String route = c.substring(c.lastIndexOf('.') + 1);
            assertThat(api("listZones", c).body()).isEqualTo("admin on " + route);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> balancer.runtime().router().workers().stream()
                .allMatch(w -> w.lastCheckResult().equals("HTTP 401")));
    }
}
