package io.jvmroute.config;

import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Interprets a mod_jk {@code workers.properties} (plus jvmroute's {@code balancer.*} keys) into a
 * {@link WorkersConfig}, accepting the classic files unchanged:
 *
 * <pre>
 * worker.list=wlb,jk-status
 * worker.jvm1.host=10.0.0.1
 * worker.jvm1.port=8009
 * worker.jvm1.type=ajp13            # spoken in AJP13 (secret, ping_mode... as in mod_jk)
 * worker.jvm1.secret=...
 * worker.wlb.type=lb
 * worker.wlb.balance_workers=jvm1,jvm2
 * worker.wlb.sticky_session=1
 * worker.jk-status.type=status
 * </pre>
 *
 * <p>Every problem is reported with its line; a key jvmroute does not use is reported once as a warning,
 * never silently ignored. {@code worker.list} and {@code balance_workers} may be repeated (they append, as
 * in mod_jk); another repeated key replaces the earlier value, with a warning.
 *
 * <p>{@link #examine} reads a file to the end whatever is wrong in it, for {@code jvmroute check}: one problem
 * must not hide another, and the workers' routes are what a node's jvmRoute is compared with.
 */
public final class WorkersPropertiesParser {

    /*
     * The keys read, by kind of worker: what operators find documented in balancer/README.md (its
     * OptionsTableTest compares the table with these sets, WorkersPropertiesParserKeysTest these sets with what
     * the parser reads). Every other key is reported as ignored.
     */
    /** The attributes read from a member worker, {@code worker.<w>.<key>}. */
    public static final Set<String> MEMBER_KEYS = Set.of("type", "host", "port", "http_port", "lbfactor",
            "activation", "route", "domain", "redirect", "distance", "fail_on_status", "secret", "ping_mode",
            "ping_timeout", "connection_ping_interval", "max_packet_size");
    /** The attributes read from the lb worker, {@code worker.<lb>.<key>}. */
    public static final Set<String> LB_KEYS = Set.of("type", "balance_workers", "balanced_workers", "sticky_session",
            "sticky_session_force", "method", "session_cookie", "session_path");
    /** The attributes read from the status worker, {@code worker.<status>.<key>}. */
    public static final Set<String> STATUS_KEYS = Set.of("type", "read_only");
    private static final Set<String> APPENDING_KEYS = Set.of("balance_workers", "balanced_workers");

    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Ignored> ignored = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private WorkersPropertiesParser(String source) {
        this.source = source;
    }

    /** Parses a file; its name is used in messages. */
    public static WorkersConfig parse(Path file) throws IOException, ConfigException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.getFileName().toString(), in);
        }
    }

    /** Parses text, for tests and tools. */
    public static WorkersConfig parse(String source, String text) throws ConfigException {
        try {
            return parse(source, new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
    }

    public static WorkersConfig parse(String source, Reader in) throws IOException, ConfigException {
        Outcome outcome = new WorkersPropertiesParser(source).interpret(PropertiesReader.read(source, in));
        if (!outcome.problems().isEmpty()) {
            throw new ConfigException(outcome.problems());
        }
        return outcome.config().orElseThrow();
    }

    /**
     * Reads a whole file whatever is wrong in it: every problem, and the routes of the workers it defines.
     *
     * @throws ConfigException only when the file cannot be read as properties at all
     */
    public static Outcome examine(Path file) throws IOException, ConfigException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String source = file.getFileName().toString();
            return new WorkersPropertiesParser(source).interpret(PropertiesReader.read(source, in));
        }
    }

    /**
     * What a file says, as far as it could be read.
     *
     * @param config   the configuration, when there is no problem
     * @param problems every problem, one line each with the file's line
     * @param routes   the workers the balancer would use, in file order: the lb's members, or, when no lb can be
     *                 chosen, every worker that is neither an lb nor a status worker (each as far as its keys
     *                 could be read)
     */
    public record Outcome(Optional<WorkersConfig> config, List<String> problems, List<WorkerRoute> routes) {
    }

    /**
     * A worker's name, its route (its name unless {@code route} says otherwise), its first line, whether it is
     * spoken to in AJP13 and its {@code secret} (empty when none).
     */
    public record WorkerRoute(String worker, String route, int line, boolean ajp, Optional<String> secret) {

        @Override
        public String toString() { // never the secret itself
            return "WorkerRoute[" + worker + ", route=" + route + ", line=" + line + ", ajp=" + ajp + "]";
        }
    }

    private Outcome interpret(List<PropertyLine> lines) {
        List<String> list = new ArrayList<>();
        Map<String, Map<String, PropertyLine>> byWorker = new LinkedHashMap<>();
        BalancerSettings.Builder settings = new BalancerSettings.Builder();
        for (PropertyLine p : lines) {
            String key = p.key();
            if (key.equals("worker.list")) {
                list.addAll(Values.parseList(p.value()));
            } else if (key.startsWith("worker.") && key.lastIndexOf('.') > "worker.".length()) {
                int dot = key.lastIndexOf('.');
                collect(byWorker.computeIfAbsent(key.substring(7, dot), n -> new LinkedHashMap<>()),
                        key.substring(dot + 1), p);
            } else if (key.startsWith("balancer.")) {
                try {
                    if (!settings.set(key.substring(9), p.value())) {
                        ignore(p, key, "is not a balancer setting (expected one of balancer." + sorted(BalancerSettings.KEYS) + ")");
                    }
                } catch (IllegalArgumentException e) {
                    problem(p, key + ": " + e.getMessage());
                }
            } else {
                ignore(p, key, "is not used by jvmroute and is ignored");
            }
        }
        BalancerSettings built;
        try {
            built = settings.build();
        } catch (IllegalArgumentException e) { // settings that contradict each other
            problems.add(source + ": " + e.getMessage());
            built = BalancerSettings.defaults();
        }
        String lbName = chooseLb(built, list, byWorker);
        Optional<StatusDef> status = statusWorker(list, byWorker);
        LbDef lb = lbName == null ? null : lb(lbName, byWorker.get(lbName));
        Map<String, WorkerDef> members = lb == null ? Map.of() : members(lb, byWorker);
        if (lb != null) {
            checkRoutes(members, byWorker);
        }
        List<WorkerRoute> routes = new ArrayList<>();
        if (lb != null) {
            members.values().forEach(w -> routes.add(new WorkerRoute(w.name(), w.route(), w.line(), w.speaksAjp(),
                    w.ajp().secret())));
        } else {
            byWorker.forEach((name, attrs) -> {
                String type = typeOf(attrs);
                if (type.equals(WorkerDef.AJP13) || type.equals(WorkerDef.HTTP)) {
                    PropertyLine secret = attrs.get("secret");
                    routes.add(new WorkerRoute(name, routeOrName(name, attrs), attrs.values().iterator().next().line(),
                            type.equals(WorkerDef.AJP13) && !attrs.containsKey("http_port"),
                            Optional.ofNullable(secret).map(p -> p.value().trim()).filter(v -> !v.isEmpty())));
                }
            });
        }
        for (String name : byWorker.keySet()) {
            boolean used = name.equals(lbName) || members.containsKey(name)
                    || status.map(s -> s.name().equals(name)).orElse(false);
            if (!used) {
                PropertyLine first = byWorker.get(name).values().iterator().next();
                warnings.add(source + ":" + first.line() + ": worker " + name + " is defined but not used by "
                        + (lbName == null ? "the balancer" : "lb " + lbName) + "; ignored");
            }
        }
        if (!problems.isEmpty()) {
            return new Outcome(Optional.empty(), List.copyOf(problems), routes);
        }
        for (Ignored i : ignored.values()) {
            List<Integer> at = i.lines();
            warnings.add(source + ":" + at.get(0) + ": " + i.firstKey() + " " + i.reason()
                    + (at.size() > 1 ? " (and on lines " + at.subList(1, at.size()) + ")" : ""));
        }
        return new Outcome(Optional.of(new WorkersConfig(source, lb, members, status, built, warnings)), List.of(), routes);
    }

    /** A worker's {@code route} when it is usable, else its name (the route mod_jk would use). */
    private static String routeOrName(String name, Map<String, PropertyLine> attrs) {
        PropertyLine route = attrs.get("route");
        return route != null && SessionId.checkRoute(route.value().trim()) == null ? route.value().trim() : name;
    }

    private void collect(Map<String, PropertyLine> attrs, String attr, PropertyLine p) {
        PropertyLine earlier = attrs.get(attr);
        if (earlier == null) {
            attrs.put(attr, p);
        } else if (APPENDING_KEYS.contains(attr)) {
            attrs.put(attr, new PropertyLine(p.key(), earlier.value() + "," + p.value(), earlier.line()));
        } else {
            warnings.add(source + ":" + p.line() + ": " + p.key() + " is set again (first on line " + earlier.line()
                    + "); this later value is used");
            attrs.put(attr, p);
        }
    }

    private String chooseLb(BalancerSettings settings, List<String> list, Map<String, Map<String, PropertyLine>> byWorker) {
        if (settings.lb().isPresent()) {
            String name = settings.lb().get();
            if (!"lb".equals(typeOf(byWorker.get(name)))) {
                problems.add(source + ": balancer.lb=" + name + " is not an lb worker (expected: worker." + name + ".type=lb)");
                return null;
            }
            return name;
        }
        List<String> lbs = list.stream().filter(n -> "lb".equals(typeOf(byWorker.get(n)))).distinct().toList();
        if (lbs.size() == 1) {
            return lbs.get(0);
        }
        problems.add(source + ": " + (lbs.isEmpty()
                ? "worker.list names no worker of type=lb (expected: worker.list=wlb and worker.wlb.type=lb)"
                : "worker.list names several lb workers " + lbs + " (expected: balancer.lb=NAME to pick the one to serve)"));
        return null;
    }

    private static String typeOf(Map<String, PropertyLine> attrs) {
        PropertyLine type = attrs == null ? null : attrs.get("type");
        return type == null ? WorkerDef.AJP13 : type.value().trim().toLowerCase(java.util.Locale.ROOT);
    }

    private Optional<StatusDef> statusWorker(List<String> list, Map<String, Map<String, PropertyLine>> byWorker) {
        for (String name : list) {
            Map<String, PropertyLine> attrs = byWorker.get(name);
            if ("status".equals(typeOf(attrs))) {
                boolean readOnly = false;
                for (PropertyLine p : attrs.values()) {
                    String attr = attrName(p);
                    if (attr.equals("read_only")) {
                        readOnly = bool(p, false);
                    } else if (!STATUS_KEYS.contains(attr)) {
                        ignore(p, "worker.<status>." + attr, "is not supported for the status worker and is ignored");
                    }
                }
                return Optional.of(new StatusDef(name, readOnly));
            }
        }
        return Optional.empty();
    }

    private LbDef lb(String name, Map<String, PropertyLine> attrs) {
        LbDef d = LbDef.defaults(name, List.of());
        List<String> members = new ArrayList<>();
        boolean sticky = d.stickySession();
        boolean force = d.stickySessionForce();
        LbMethod method = d.method();
        String cookie = d.sessionCookie();
        String path = d.sessionPath();
        for (PropertyLine p : attrs.values()) {
            try {
                switch (attrName(p)) {
                    case "balance_workers", "balanced_workers" -> members.addAll(Values.parseList(p.value()));
                    case "sticky_session" -> sticky = Values.parseBoolean(p.value());
                    case "sticky_session_force" -> force = Values.parseBoolean(p.value());
                    case "method" -> method = LbMethod.parse(p.value());
                    case "session_cookie" -> cookie = p.value().trim();
                    case "session_path" -> path = p.value().trim();
                    case "type" -> { }
                    default -> ignore(p, "worker.<lb>." + attrName(p), "is not supported for lb workers and is ignored");
                }
            } catch (IllegalArgumentException e) {
                problem(p, p.key() + ": " + e.getMessage());
            }
        }
        if (members.isEmpty()) {
            problems.add(source + ": lb " + name + " has no members (expected: worker." + name + ".balance_workers=jvm1,jvm2)");
        }
        try {
            new io.jvmroute.route.SessionIdFinder(cookie, path);
        } catch (IllegalArgumentException e) {
            problems.add(source + ": lb " + name + ": " + e.getMessage());
        }
        return new LbDef(name, members.stream().distinct().toList(), sticky, force, method, cookie, path);
    }

    private Map<String, WorkerDef> members(LbDef lb, Map<String, Map<String, PropertyLine>> byWorker) {
        Map<String, WorkerDef> out = new LinkedHashMap<>();
        for (String name : lb.members()) {
            Map<String, PropertyLine> attrs = byWorker.getOrDefault(name, Map.of());
            String type = typeOf(attrs);
            if (!type.equals(WorkerDef.AJP13) && !type.equals(WorkerDef.HTTP)) {
                problems.add(source + ": worker " + name + " of lb " + lb.name() + " has type=" + type
                        + " (expected: ajp13 or http)");
                continue;
            }
            out.put(name, member(name, type, attrs));
        }
        return out;
    }

    private WorkerDef member(String name, String type, Map<String, PropertyLine> attrs) {
        String host = "localhost";
        int port = 8009;
        int httpPort = -1;
        int lbfactor = 1;
        int distance = 0;
        Activation activation = Activation.ACTIVE;
        String route = name;
        String domain = "";
        String redirect = "";
        Set<Integer> failOnStatus = new HashSet<>();
        AjpOptions ajp = AjpOptions.DEFAULTS;
        int line = attrs.isEmpty() ? 0 : attrs.values().iterator().next().line();
        for (PropertyLine p : attrs.values()) {
            String attr = attrName(p);
            try {
                switch (attr) {
                    case "host" -> host = p.value().trim();
                    case "port" -> port = Values.parsePort(p.value());
                    case "http_port" -> httpPort = Values.parsePort(p.value());
                    case "lbfactor" -> lbfactor = Values.parseInt(p.value(), 1, 100_000);
                    case "distance" -> distance = Values.parseInt(p.value(), 0, 100);
                    case "activation" -> activation = Activation.parse(p.value());
                    case "route" -> route = routeValue(p.value());
                    case "domain" -> domain = routeValue(p.value());
                    case "redirect" -> redirect = p.value().trim();
                    case "fail_on_status" -> {
                        for (String s : Values.parseList(p.value())) {
                            failOnStatus.add(Values.parseInt(s, 100, 599));
                        }
                    }
                    case "secret" -> ajp = ajp.withSecret(p.value().trim());
                    case "ping_mode" -> ajp = ajp.withPingMode(AjpOptions.parsePingMode(p.value()));
                    case "ping_timeout" -> ajp = ajp.withPingTimeout(Values.parseDuration(p.value()));
                    case "connection_ping_interval" -> ajp = ajp.withPingInterval(Values.parseSeconds(p.value()));
                    case "max_packet_size" -> ajp = ajp.withMaxPacketSize(Values.parseInt(p.value(), 8192, 65536));
                    case "type" -> { }
                    default -> ignore(p, "worker.<worker>." + attr, "is not supported by jvmroute and is ignored");
                }
            } catch (IllegalArgumentException e) {
                problem(p, p.key() + ": " + e.getMessage());
            }
        }
        if (type.equals(WorkerDef.HTTP)) {
            httpPort = port; // an ajp13 worker without http_port keeps -1: the balancer speaks AJP13 to its port
        }
        return new WorkerDef(name, type, host, port, httpPort, lbfactor, activation, route, domain, redirect,
                distance, failOnStatus, line, ajp);
    }

    private static String routeValue(String value) {
        String v = value.trim();
        IdProblem problem = SessionId.checkRoute(v);
        if (problem != null) {
            throw new IllegalArgumentException(v + " (expected: a route without " + problem.description() + ")");
        }
        return v;
    }

    /** Routes must be unique (they are what sticky requests are matched on) and redirects must resolve. */
    private void checkRoutes(Map<String, WorkerDef> members, Map<String, Map<String, PropertyLine>> byWorker) {
        Map<String, String> routeOwner = new HashMap<>();
        for (WorkerDef w : members.values()) {
            String other = routeOwner.putIfAbsent(w.route(), w.name());
            if (other != null) {
                // Jetty (CloudStack's management servers) names every server node0 unless told otherwise
                String jetty = w.route().matches("node[0-9]+") ? "; for Jetty, \"node\" + a JETTY_WORKER_INSTANCE of its"
                        + " own per server (node0 is Jetty's default on every server)" : "";
                problems.add(source + ":" + w.line() + ": workers " + other + " and " + w.name() + " share route "
                        + w.route() + " (expected: a unique route per worker, the node's Engine jvmRoute" + jetty + ")");
            }
        }
        for (WorkerDef w : members.values()) {
            if (!w.redirect().isEmpty() && !members.containsKey(w.redirect()) && !routeOwner.containsKey(w.redirect())) {
                PropertyLine p = byWorker.get(w.name()).get("redirect");
                problem(p, p.key() + ": " + w.redirect() + " (expected: the name or route of another member of the lb)");
            }
        }
    }

    private boolean bool(PropertyLine p, boolean fallback) {
        try {
            return Values.parseBoolean(p.value());
        } catch (IllegalArgumentException e) {
            problem(p, p.key() + ": " + e.getMessage());
            return fallback;
        }
    }

    private static String attrName(PropertyLine p) {
        return p.key().substring(p.key().lastIndexOf('.') + 1);
    }

    private void problem(PropertyLine p, String message) {
        problems.add(source + ":" + p.line() + ": " + message);
    }

    /** Remembers an ignored key once per kind of key (its attribute), with every line it appeared on. */
    private void ignore(PropertyLine p, String kind, String reason) {
        ignored.computeIfAbsent(kind, k -> new Ignored(p.key(), reason, new ArrayList<>())).lines().add(p.line());
    }

    /** The first key of a kind as written, why it is ignored, and every line of its kind. */
    private record Ignored(String firstKey, String reason, List<Integer> lines) {
    }

    private static String sorted(Set<String> keys) {
        return keys.stream().sorted().toList().toString();
    }
}
