package io.jvmroute.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The checks of {@code jvmroute doctor}, in the order an operator would make them by hand. Each uses one test
 * session the doctor makes itself (a request without a cookie through the balancer); real users' sessions are
 * never sent anywhere. Each check reports one {@link Result}; a check whose premise failed is skipped.
 */
final class DoctorChecks {

    /** How a check ended. */
    enum Level { OK, WARN, SKIP, FAIL }

    /** One check's outcome, as printed. */
    record Result(String check, Level level, String detail) {
    }

    /** A worker as the balancer's {@code /drain.txt} lists it. */
    record Worker(String name, String route, String address, boolean up, String activation, String node, String cluster,
                  String fingerprint) {
    }

    private final URI front;
    private final AdminClient admin;
    private final String path;
    private final String cookie;
    private final String failoverHeader;
    private final Consumer<Result> report;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Result> results = new ArrayList<>();

    DoctorChecks(URI front, AdminClient admin, String path, String cookie, String failoverHeader, Consumer<Result> report) {
        this.front = front;
        this.admin = admin;
        this.path = path;
        this.cookie = cookie;
        this.failoverHeader = failoverHeader;
        this.report = report;
    }

    List<Result> run() throws InterruptedException {
        List<Worker> workers = workers();
        if (workers == null) {
            return results;
        }
        workersUsable(workers);
        clusterView(workers);
        settings(workers);
        drainReady(workers);
        String id = login(workers);
        sticky(id);
        replicated(id, workers);
        failover(id, workers);
        clocks(workers);
        tls();
        return results;
    }

    private void add(String check, Level level, String detail) {
        Result r = new Result(check, level, detail);
        results.add(r);
        report.accept(r);
    }

    private List<Worker> workers() throws InterruptedException {
        try {
            List<Worker> workers = new ArrayList<>();
            for (Map<String, String> w : admin.allDrainStatus()) {
                workers.add(new Worker(w.get("worker"), w.get("route"), w.get("address"), "true".equals(w.get("up")),
                        w.get("activation"), w.get("node"), w.get("cluster"), w.getOrDefault("fingerprint", "-")));
            }
            add("balancer", workers.isEmpty() ? Level.FAIL : Level.OK, workers.size() + " worker(s)");
            return workers.isEmpty() ? null : workers;
        } catch (IOException e) {
            add("balancer", Level.FAIL, "cannot read its admin listener: " + e.getMessage());
            return null;
        }
    }

    private void workersUsable(List<Worker> workers) {
        List<String> down = workers.stream().filter(w -> !w.up()).map(Worker::name).toList();
        List<String> out = workers.stream().filter(w -> w.up() && !w.activation().equals("active")).map(w -> w.name() + " " + w.activation()).toList();
        if (!down.isEmpty()) {
            add("workers up", Level.FAIL, "down: " + String.join(", ", down));
        } else {
            add("workers up", out.isEmpty() ? Level.OK : Level.WARN, out.isEmpty() ? "all up and active" : "up, but " + String.join(", ", out));
        }
    }

    private void clusterView(List<Worker> workers) {
        if (workers.stream().allMatch(w -> w.node().equals("unknown"))) {
            add("cluster view", Level.WARN, "the balancer does not read the cluster (balancer.cluster / --cluster)");
        } else if (workers.stream().anyMatch(w -> w.cluster().equals("unreachable"))) {
            add("cluster view", Level.FAIL, "the balancer cannot read the cluster: it keeps its last view");
        } else {
            List<String> unknown = workers.stream().filter(w -> w.node().equals("unknown")).map(Worker::name).toList();
            add("cluster view", unknown.isEmpty() ? Level.OK : Level.WARN, unknown.isEmpty()
                    ? "every worker is a cluster member" : "not cluster members: " + String.join(", ", unknown));
        }
    }

    /** RouteCluster nodes publish a digest of their cluster settings: one value means one configuration. */
    private void settings(List<Worker> workers) {
        Map<String, List<String>> byFingerprint = new java.util.TreeMap<>();
        workers.stream().filter(w -> !w.fingerprint().equals("-"))
                .forEach(w -> byFingerprint.computeIfAbsent(w.fingerprint(), k -> new ArrayList<>()).add(w.name()));
        if (byFingerprint.isEmpty()) {
            add("settings", Level.SKIP, "no node publishes a settings fingerprint (jvmroute's RouteCluster does)");
        } else if (byFingerprint.size() == 1) {
            add("settings", Level.OK, "every node publishing one has fingerprint " + byFingerprint.keySet().iterator().next());
        } else {
            add("settings", Level.FAIL, "nodes differ: " + byFingerprint);
        }
    }

    private void drainReady(List<Worker> workers) {
        long usable = workers.stream().filter(w -> w.up() && w.activation().equals("active") && !w.node().equals("draining")).count();
        add("drain-ready", usable >= 2 ? Level.OK : Level.FAIL, usable >= 2
                ? usable + " active nodes: any one can drain while the others take its users"
                : usable + " active node(s): draining one would leave its users nowhere to go");
    }

    /** A new test session through the balancer; its id, or null. */
    private String login(List<Worker> workers) throws InterruptedException {
        try {
            HttpResponse<String> r = get(front.resolve(path), null, Map.of());
            String id = newId(r);
            String route = route(id);
            if (r.statusCode() >= 400 || id == null) {
                add("login", Level.FAIL, "GET " + path + " through the balancer: HTTP " + r.statusCode()
                        + (id == null ? ", no " + cookie + " set (expected: --path of a page that makes a session)" : ""));
                return null;
            }
            boolean known = workers.stream().anyMatch(w -> w.route().equals(route));
            add("login", known ? Level.OK : Level.FAIL, known ? "test session on " + route
                    : "session route '" + route + "' is no worker's (the node's jvmRoute and the worker's route differ)");
            return known ? id : null;
        } catch (IOException e) {
            add("login", Level.FAIL, "cannot reach the balancer at " + front + ": " + e.getMessage());
            return null;
        }
    }

    private void sticky(String id) throws InterruptedException {
        if (id == null) {
            add("sticky", Level.SKIP, "no test session");
            return;
        }
        try {
            for (int i = 0; i < 3; i++) {
                String renewed = newId(get(front.resolve(path), id, Map.of()));
                if (renewed != null && !renewed.equals(id)) {
                    add("sticky", Level.FAIL, "request " + (i + 2) + " was answered with another session " + renewed);
                    return;
                }
            }
            add("sticky", Level.OK, "3 more requests kept session " + route(id));
        } catch (IOException e) {
            add("sticky", Level.FAIL, e.getMessage());
        }
    }

    private void replicated(String id, List<Worker> workers) throws InterruptedException {
        if (id == null) {
            add("replicated", Level.SKIP, "no test session");
            return;
        }
        List<String> missing = new ArrayList<>();
        for (Worker w : others(id, workers)) {
            try {
                String answered = newId(get(node(w), id, Map.of()));
                if (answered != null && !base(answered).equals(base(id))) {
                    missing.add(w.name() + " does not know it");
                }
            } catch (IOException e) {
                missing.add(w.name() + " unreachable (" + e.getMessage() + ")");
            }
        }
        add("replicated", missing.isEmpty() ? Level.OK : Level.FAIL, missing.isEmpty()
                ? "the test session is on every other node" : String.join("; ", missing));
    }

    private void failover(String id, List<Worker> workers) throws InterruptedException {
        List<Worker> others = others(id, workers);
        if (id == null || others.isEmpty()) {
            add("failover", Level.SKIP, id == null ? "no test session" : "no other node");
            return;
        }
        Worker to = others.get(0);
        try {
            String answered = newId(get(node(to), id, Map.of(failoverHeader, route(id))));
            if (answered == null) {
                add("failover", Level.WARN, to.name() + " kept the route: this host is not in its valve's trustedProxies, or it has no JvmRouteValve");
            } else if (!base(answered).equals(base(id))) {
                add("failover", Level.FAIL, to.name() + " answered a new session: the user would have to log in again");
            } else {
                add("failover", Level.OK, "the test session moved to " + to.name() + " as " + route(answered) + " (route rewritten)");
            }
        } catch (IOException e) {
            add("failover", Level.FAIL, to.name() + " unreachable: " + e.getMessage());
        }
    }

    private void clocks(List<Worker> workers) throws InterruptedException {
        List<String> off = new ArrayList<>();
        for (Worker w : workers) {
            try {
                HttpResponse<String> r = get(node(w), null, Map.of());
                Instant now = Instant.now();
                Instant theirs = ZonedDateTime.parse(r.headers().firstValue("Date").orElse(""), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                long skew = Math.abs(Duration.between(theirs, now).toMillis());
                if (skew > 2000) { // Date has whole seconds: within a second, give or take its rounding
                    off.add(w.name() + " " + skew / 1000 + " s off");
                }
            } catch (IOException | DateTimeParseException e) {
                off.add(w.name() + ": no usable Date header (" + e.getMessage() + ")");
            }
        }
        add("clocks", off.isEmpty() ? Level.OK : Level.FAIL, off.isEmpty() ? "every node within a second of this host" : String.join("; ", off));
    }

    private void tls() throws InterruptedException {
        if (!"https".equals(front.getScheme())) {
            add("tls", Level.SKIP, "the balancer's front is plain HTTP");
            return;
        }
        try {
            HttpResponse<String> r = get(front.resolve(path), null, Map.of());
            Certificate[] chain = r.sslSession().map(s -> {
                try {
                    return s.getPeerCertificates();
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    return new Certificate[0];
                }
            }).orElse(new Certificate[0]);
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                add("tls", Level.FAIL, "no server certificate");
                return;
            }
            long days = Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays();
            add("tls", days < 0 ? Level.FAIL : days < 21 ? Level.WARN : Level.OK, "front certificate expires in " + days + " day(s)");
        } catch (IOException e) {
            add("tls", Level.FAIL, e.getMessage());
        }
    }

    private List<Worker> others(String id, List<Worker> workers) {
        String route = id == null ? "" : route(id);
        return workers.stream().filter(w -> w.up() && !w.route().equals(route)).toList();
    }

    private URI node(Worker w) {
        return URI.create("http://" + w.address()).resolve(path);
    }

    private HttpResponse<String> get(URI uri, String id, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("User-Agent", "jvmroute-doctor");
        if (id != null) {
            b.header("Cookie", cookie + "=" + id);
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The session id a response sets, or null. */
    private String newId(HttpResponse<?> r) {
        Map<String, String> set = new HashMap<>();
        for (String h : r.headers().allValues("Set-Cookie")) {
            int eq = h.indexOf('=');
            int semi = h.indexOf(';');
            if (eq > 0) {
                set.put(h.substring(0, eq).trim(), h.substring(eq + 1, semi > eq ? semi : h.length()).trim());
            }
        }
        return set.get(cookie);
    }

    private static String route(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? "" : id.substring(dot + 1);
    }

    private static String base(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
