package io.jvmroute.bench.failover;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One logged-in user of the demo webapp behind a balancer: logs in, then asks {@code whoami.jsp} every poll
 * interval (the next request leaves when the interval is up, or at once if the last answer came later), with its
 * own connection, keeping the session cookie the way a browser does (a failover may rename it).
 */
final class PollingUser implements Runnable {

    /** One request: when it left and came back (nanoTime), whether it was answered as this user, and by which node. */
    record Poll(long sentNanos, long doneNanos, boolean ok, String node) {
    }

    private final String base;
    private final String name;
    private final long pollNanos;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Poll> polls = new ArrayList<>();
    private volatile long stopAtNanos = Long.MAX_VALUE;
    private String cookie;

    PollingUser(String base, String name, long pollMillis) {
        this.base = base;
        this.name = name;
        this.pollNanos = pollMillis * 1_000_000L;
    }

    String name() {
        return name;
    }

    /** Logs in (POST login.jsp) and returns the node that serves the session now. */
    String logIn() throws Exception {
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/demo/login.jsp"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + name)).build(), HttpResponse.BodyHandlers.ofString());
        keepCookie(login);
        if (cookie == null) {
            throw new IllegalStateException("login of " + name + " set no session cookie (status " + login.statusCode() + ")");
        }
        Poll first = poll();
        if (!first.ok()) {
            throw new IllegalStateException("user " + name + " is not logged in after logging in");
        }
        return first.node();
    }

    void stopAt(long nanos) {
        stopAtNanos = nanos;
    }

    List<Poll> polls() {
        return polls;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (next < stopAtNanos) {
            polls.add(poll());
            next += pollNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // the user's pace, not a wait for an event
            } else {
                next = System.nanoTime();
            }
        }
    }

    private Poll poll() {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/demo/whoami.jsp"))
                    .timeout(Duration.ofSeconds(5)).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
            keepCookie(response);
            String body = response.body();
            boolean ok = response.statusCode() == 200 && body.contains("\nuser=" + name + "\n");
            return new Poll(sent, System.nanoTime(), ok, field(body, "node="));
        } catch (Exception e) {
            return new Poll(sent, System.nanoTime(), false, "");
        }
    }

    private void keepCookie(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith("JSESSIONID=")) {
                int end = header.indexOf(';');
                cookie = end < 0 ? header : header.substring(0, end);
            }
        }
    }

    private static String field(String body, String key) {
        for (String line : body.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).strip();
            }
        }
        return "";
    }
}
