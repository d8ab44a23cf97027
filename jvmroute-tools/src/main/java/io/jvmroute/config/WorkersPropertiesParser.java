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
 * worker.jvm1.type=ajp13
 * worker.jvm1.http_port=8080        # jvmroute: the node's HTTP connector, until AJP13 is spoken
 * worker.wlb.type=lb
 * worker.wlb.balance_workers=jvm1,jvm2
 * worker.wlb.sticky_session=1
 * worker.jk-status.type=status
 * </pre>
 *
 * <p>Every problem is reported with its line; a key jvmroute does not use is reported once as a warning,
 * never silently ignored. {@code worker.list} and {@code balance_workers} may be repeated (they append, as
 * in mod_jk); another repeated key replaces the earlier value, with a warning.
 */
public final class WorkersPropertiesParser {

    /*
     * The keys read, by kind of worker: what operators find documented in balancer/README.md (its
     * OptionsTableTest compares the table with these sets, WorkersPropertiesParserKeysTest these sets with what
     * the parser reads). Every other key is reported as ignored.
     */
    /** The attributes read from a member worker, {@code worker.<w>.<key>}. */
    public static final Set<String> MEMBER_KEYS = Set.of("type", "host", "port", "http_port", "lbfactor",
            "activation", "route", "domain", "redirect", "distance", "fail_on_status");
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
        return new WorkersPropertiesParser(source).interpret(PropertiesReader.read(source, in));
    }

    private WorkersConfig interpret(List<PropertyLine> lines) throws ConfigException {
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
            throw new ConfigException(problems);
        }
        for (Ignored i : ignored.values()) {
            List<Integer> at = i.lines();
            warnings.add(source + ":" + at.get(0) + ": " + i.firstKey() + " " + i.reason()
                    + (at.size() > 1 ? " (and on lines " + at.subList(1, at.size()) + ")" : ""));
        }
        return new WorkersConfig(source, lb, members, status, built, warnings);
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
            WorkerDef def = member(name, type, attrs);
            if (def != null) {
                out.put(name, def);
            }
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
                    case "type" -> { }
                    default -> ignore(p, "worker.<worker>." + attr, "is not supported by jvmroute and is ignored");
                }
            } catch (IllegalArgumentException e) {
                problem(p, p.key() + ": " + e.getMessage());
            }
        }
        if (type.equals(WorkerDef.HTTP)) {
            httpPort = port;
        } else if (httpPort < 0) {
            problems.add(source + ":" + line + ": worker " + name + " is type=ajp13, which jvmroute does not speak yet:"
                    + " add worker." + name + ".http_port=<the node's HTTP connector port> (or set type=http)");
            return null;
        }
        return new WorkerDef(name, type, host, port, httpPort, lbfactor, activation, route, domain, redirect,
                distance, failOnStatus, line);
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
