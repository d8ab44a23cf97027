package io.jvmroute.balancer.hung;

import io.jvmroute.balancer.Balancer;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hung-node measurement: 20 users poll, 10 stick to jvm1 and 10 to jvm2 (5 s client timeout); the
 * jvm1 Tomcat is frozen with SIGSTOP (alive TCP, no answers). Every jvm1 user must be served by jvm2 within 2 s of
 * the stop, and no request of any user may fail. Before hang detection the frozen node's requests waited for
 * {@code response_timeout} (the clients gave up after 5 s) and the node went out only after {@code fall} checks.
 */
class HungNodeTest {

    /** One request of one user: when it started and ended (nanoTime), and who answered (null: it failed). */
    record Poll(int user, long start, long end, String servedBy) {
    }

    @Test
    void theUsersOfAFrozenNodeAreServedElsewhereWithinTwoSecondsAndNoRequestFails() throws Exception {
        try (ChildTomcat jvm1 = ChildTomcat.start("jvm1", "127.0.0.11");
             ChildTomcat jvm2 = ChildTomcat.start("jvm2", "127.0.0.12")) {
            String properties = "worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=jvm1,jvm2\n"
                    + "worker.jvm1.type=http\nworker.jvm1.host=127.0.0.11\nworker.jvm1.port=" + jvm1.port + "\n"
                    + "worker.jvm2.type=http\nworker.jvm2.host=127.0.0.12\nworker.jvm2.port=" + jvm2.port + "\n"
                    + "balancer.listen=127.0.0.1:0\nbalancer.admin.listen=127.0.0.1:0\nbalancer.shutdown_timeout=1s\n";
            // health checks, response_timeout and retries at their defaults: what an operator gets
            try (Balancer balancer = Balancer.start(WorkersPropertiesParser.parse("hung.properties", properties), 2)) {
                URI uri = URI.create("http://127.0.0.1:" + balancer.frontAddress().getPort() + "/app/poll");
                List<Poll> polls = new CopyOnWriteArrayList<>();
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> users = new ArrayList<>();
                for (int u = 0; u < 20; u++) {
                    int user = u;
                    String cookie = "JSESSIONID=USER" + u + (u < 10 ? ".jvm1" : ".jvm2");
                    Thread t = new Thread(() -> poll(user, uri, cookie, running, polls), "user-" + u);
                    t.setDaemon(true);
                    t.start();
                    users.add(t);
                }
                long stopped = 0;
                try {
                    // warm: every user's latest poll was answered by its own node (cold Tomcats may fail over at first)
                    await().atMost(Duration.ofSeconds(60)).until(() -> everyUserAtHome(polls));
                    stopped = System.nanoTime();
                    jvm1.signal("STOP");
                    long stop = stopped;
                    await().atMost(Duration.ofSeconds(15)).until(() -> polls.stream()
                            .filter(p -> p.user < 10 && p.start > stop && "jvm2".equals(p.servedBy))
                            .map(Poll::user).distinct().count() == 10);
                    long settled = System.nanoTime();
                    await().atMost(Duration.ofSeconds(5)).until(() -> polls.stream().anyMatch(p -> p.start > settled + 500_000_000L));
                } finally {
                    running.set(false);
                    jvm1.signal("CONT");
                    for (Thread t : users) {
                        t.join(10_000);
                    }
                }
                report(polls, stopped);
            }
        }
    }

    private static boolean everyUserAtHome(List<Poll> polls) {
        String[] latest = new String[20];
        for (Poll p : polls) {
            latest[p.user] = p.servedBy;
        }
        for (int u = 0; u < 20; u++) {
            if (!(u < 10 ? "jvm1" : "jvm2").equals(latest[u])) {
                return false;
            }
        }
        return true;
    }

    /** A user: one request after the other, a short think time between them, each with a 5 s timeout. */
    private static void poll(int user, URI uri, String cookie, AtomicBoolean running, List<Poll> polls) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Cookie", cookie).timeout(Duration.ofSeconds(5)).build();
        while (running.get()) {
            long start = System.nanoTime();
            String servedBy;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                servedBy = r.statusCode() == 200 ? r.body() : null;
            } catch (Exception e) {
                servedBy = null;
            }
            polls.add(new Poll(user, start, System.nanoTime(), servedBy));
            try {
                Thread.sleep(100); // think time between a user's polls (pacing the load, not waiting for anything)
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void report(List<Poll> polls, long stopped) {
        List<Poll> failed = polls.stream().filter(p -> p.servedBy == null).toList();
        long worstAfterStop = 0;
        long worstGap = 0;
        for (int u = 0; u < 10; u++) {
            int user = u;
            long lastBefore = polls.stream().filter(p -> p.user == user && p.servedBy != null && p.end < stopped)
                    .mapToLong(Poll::end).max().orElse(stopped);
            long firstAfter = polls.stream().filter(p -> p.user == user && p.servedBy != null && p.end > stopped)
                    .mapToLong(Poll::end).min().orElseThrow();
            worstAfterStop = Math.max(worstAfterStop, firstAfter - stopped);
            worstGap = Math.max(worstGap, firstAfter - lastBefore);
        }
        System.out.printf("hung node: %d polls, %d failed; jvm1's users served again %.0f ms after the SIGSTOP at worst"
                        + " (longest gap between two successes of one user: %.0f ms)%n",
                polls.size(), failed.size(), worstAfterStop / 1e6, worstGap / 1e6);
        assertThat(failed).as("failed polls").isEmpty();
        assertThat(Duration.ofNanos(worstAfterStop)).isLessThan(Duration.ofSeconds(2));
    }
}
