package io.jvmroute.valve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client that behaves like a browser with one session cookie, kept by the test itself: every request says
 * exactly which id it carries, and every reply says which new id (if any) the server set.
 */
final class Http {

    static final String COOKIE = "JSESSIONID";
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * @param status   the HTTP status
     * @param body     the body
     * @param newId    the session id in a {@code Set-Cookie: JSESSIONID=…}, or {@code null}
     * @param location the {@code Location} header, or {@code null}
     */
    record Reply(int status, String body, String newId, String location) {
    }

    private Http() {
    }

    /** GET with {@code sessionId} in the cookie ({@code null}: no cookie) and extra header name/value pairs. */
    static Reply get(String url, String sessionId, String... headers) throws IOException, InterruptedException {
        return send(request(url, sessionId, headers).GET().build());
    }

    static Reply postForm(String url, String sessionId, String form) throws IOException, InterruptedException {
        return send(request(url, sessionId, "Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static HttpRequest.Builder request(String url, String sessionId, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (sessionId != null) {
            builder.header("Cookie", COOKIE + "=" + sessionId);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        String newId = null;
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith(COOKIE + "=")) {
                int end = cookie.indexOf(';');
                newId = cookie.substring(COOKIE.length() + 1, end < 0 ? cookie.length() : end);
            }
        }
        return new Reply(response.statusCode(), response.body(), newId,
                response.headers().firstValue("Location").orElse(null));
    }
}
