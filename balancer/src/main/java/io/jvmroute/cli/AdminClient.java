package io.jvmroute.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The operator commands' way to a running balancer's admin listener: its actions and its drain status. */
final class AdminClient {

    /** An answer: its status and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status == 200;
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the admin token, or null (then actions are refused by the balancer, with its reason) */
    AdminClient(String balancerUrl, String token) {
        String url = balancerUrl.endsWith("/") ? balancerUrl.substring(0, balancerUrl.length() - 1) : balancerUrl;
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || !"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException("--balancer " + balancerUrl + " (expected: the admin URL, as http://127.0.0.1:8081)");
        }
        this.base = parsed;
        this.token = token;
    }

    /** {@code POST /action} with the token as a bearer (no CSRF token: that is for the page's forms). */
    Answer action(String action, String worker) throws IOException, InterruptedException {
        String form = "action=" + encode(action) + "&worker=" + encode(worker);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/action")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** {@code GET /drain.txt?worker=...} read into its {@code key=value} words, or the refusal. */
    Map<String, String> drainStatus(String worker) throws IOException, InterruptedException {
        List<Map<String, String>> lines = drainLines("?worker=" + encode(worker));
        if (lines.size() != 1) {
            throw new IOException("expected one line about " + worker + ", got " + lines.size());
        }
        return lines.get(0);
    }

    /** {@code GET /drain.txt}: one map of words per worker. */
    List<Map<String, String>> allDrainStatus() throws IOException, InterruptedException {
        return drainLines("");
    }

    private List<Map<String, String>> drainLines(String query) throws IOException, InterruptedException {
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + "/drain.txt" + query))
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (!answer.ok()) {
            throw new IOException("HTTP " + answer.status() + " " + answer.body().strip());
        }
        List<Map<String, String>> lines = new ArrayList<>();
        for (String line : answer.body().strip().split("\n")) {
            Map<String, String> words = new HashMap<>();
            for (String word : line.strip().split(" ")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    words.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            if (!words.isEmpty()) {
                lines.add(words);
            }
        }
        return lines;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
