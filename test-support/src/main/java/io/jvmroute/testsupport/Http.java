package io.jvmroute.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * A client that behaves like a browser with one session cookie, kept by the test itself: every request says
 * exactly which id it carries, and every reply says which new id (if any) the server set. Redirects are not
 * followed. Failures are unchecked, so the calls fit in Awaitility conditions and lambdas.
 */
public final class Http {

    public static final String COOKIE = "JSESSIONID";
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
    public record Reply(int status, String body, String newId, String location) {

        /** The session id the server set; fails when it set none. */
        public String requireNewId() {
            if (newId == null) {
                throw new NoSuchElementException("no " + COOKIE + " cookie set (status " + status + ")");
            }
            return newId;
        }
    }

    private Http() {
    }

    /** GET with {@code sessionId} in the cookie ({@code null}: no cookie) and extra header name/value pairs. */
    public static Reply get(String url, String sessionId, String... headers) {
        return send(request(url, sessionId, headers).GET().build());
    }

    /** POST of an {@code application/x-www-form-urlencoded} body, e.g. to {@code j_security_check}. */
    public static Reply postForm(String url, String sessionId, String form) {
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

    private static Reply send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
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
