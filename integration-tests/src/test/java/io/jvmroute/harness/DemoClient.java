package io.jvmroute.harness;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A browser-like user of the demo webapp: keeps its cookies, logs in, asks who served it. */
public final class DemoClient {

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(cookies)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** POSTs the login form; returns the status (302 on success). */
    public int logIn(URI base, String user) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("login.jsp"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + user))
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** whoami.jsp as key/value pairs: node, session, user, visits. */
    public Map<String, String> whoAmI(URI base) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("whoami.jsp")).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("whoami.jsp answered " + response.statusCode());
        }
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : response.body().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return facts;
    }

    /** The JSESSIONID cookie the client holds, or null. */
    public String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst().orElse(null);
    }
}
