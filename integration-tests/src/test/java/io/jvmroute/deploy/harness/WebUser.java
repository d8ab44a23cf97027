package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One browser user of the test webapp: holds its JSESSIONID, logs in through the FORM login page, and reads
 * {@code secure/whoami.jsp}. The cookie is kept by hand so that a test can send it anywhere (another front, a
 * node directly) exactly as a browser that followed a link would.
 */
public final class WebUser {

    /** One client for every user (a browser fleet behind one NAT); no redirects followed, nothing cached. */
    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    /** Long, as a browser's: how long a balancer makes users wait after a fault is a figure, not a failure. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private volatile String sessionId;

    public WebUser(int number) {
        this.name = DeploymentFiles.userName(number);
    }

    public String name() {
        return name;
    }

    /** The JSESSIONID the user's browser holds now, or null. */
    public String sessionId() {
        return sessionId;
    }

    /**
     * The FORM login: ask for the protected page (the node shows the login form and remembers the request),
     * post the credentials, follow the redirect back; returns what the protected page says.
     */
    public Facts logIn(URI app) throws IOException, InterruptedException {
        sessionId = null;
        Facts form = whoAmI(app);
        if (!form.loginForm()) {
            throw new IOException(name + ": expected the login form, got " + form);
        }
        HttpRequest post = HttpRequest.newBuilder(app.resolve("j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "JSESSIONID=" + sessionId)
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + name + "&j_password=" + DeploymentFiles.password(name)))
                .timeout(REQUEST_TIMEOUT).build();
        HttpResponse<String> response = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
        remember(response);
        if (response.statusCode() / 100 != 3) {
            throw new IOException(name + ": login answered " + response.statusCode() + " " + response.body());
        }
        Facts after = whoAmI(app);
        if (!after.loggedInAs(name)) {
            throw new IOException(name + ": not logged in after the login: " + after);
        }
        return after;
    }

    /** GET secure/whoami.jsp with the user's cookie; the cookie follows any Set-Cookie. */
    public Facts whoAmI(URI app) throws IOException, InterruptedException {
        HttpResponse<String> response = get(app.resolve("secure/whoami.jsp"), sessionId);
        remember(response);
        return Facts.of(response);
    }

    /** GET secure/whoami.jsp with a given id, leaving the user's own cookie alone (an old tab, a stray). */
    public static Facts whoAmIWith(URI app, String sessionId) throws IOException, InterruptedException {
        return Facts.of(get(app.resolve("secure/whoami.jsp"), sessionId));
    }

    /** GET secure/peek.jsp with a given id: the session as that node holds it, unchanged. */
    public static Facts peekWith(URI app, String sessionId) throws IOException, InterruptedException {
        return Facts.of(get(app.resolve("secure/peek.jsp"), sessionId));
    }

    private static HttpResponse<String> get(URI uri, String sessionId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void remember(HttpResponse<?> response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith("JSESSIONID=")) {
                int end = cookie.indexOf(';');
                sessionId = cookie.substring("JSESSIONID=".length(), end < 0 ? cookie.length() : end);
            }
        }
    }

    /** What one answer of whoami.jsp said. */
    public record Facts(int status, Map<String, String> fields, boolean loginForm, String setCookie) {

        static Facts of(HttpResponse<String> response) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (response.statusCode() == 200) {
                for (String line : response.body().split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.trim().startsWith("<")) {
                        fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
            }
            Optional<String> cookie = response.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("JSESSIONID=")).findFirst();
            return new Facts(response.statusCode(), fields, response.body().contains("LOGIN-FORM"), cookie.orElse(null));
        }

        /** The node that served it (from the page, also shown on the login form). */
        public String node() {
            return fields.getOrDefault("node", "?");
        }

        public String session() {
            return fields.get("session");
        }

        public int visits() {
            return Integer.parseInt(fields.getOrDefault("visits", "0"));
        }

        /** Logged in as {@code user} both ways: the container's FORM principal and the application's attribute. */
        public boolean loggedInAs(String user) {
            return status == 200 && !loginForm && user.equals(fields.get("principal")) && user.equals(fields.get("userid"));
        }

        @Override
        public String toString() {
            return status + (loginForm ? " LOGIN-FORM" : "") + " " + fields + (setCookie == null ? "" : " Set-Cookie: " + setCookie);
        }
    }
}
