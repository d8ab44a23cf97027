package io.jvmroute.balancer.routing;

import io.jvmroute.config.Activation;
import io.jvmroute.config.LbDef;
import io.jvmroute.config.LbMethod;
import io.jvmroute.config.WorkerDef;
import io.jvmroute.route.RouteIndex;
import io.jvmroute.route.RouteResolver;
import io.jvmroute.route.SessionIdFinder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing decisions of one lb worker, with mod_jk's semantics and no I/O: where does this request go,
 * and where does it go next if that failed. One immutable snapshot per configuration; the workers' live
 * state ({@link WorkerState}) is shared with the health checker and the status page.
 *
 * <ol>
 *   <li>{@link #match}: the request's session route (path parameter first, then every JSESSIONID cookie) is
 *       matched exactly against the workers' routes, else its domain (the part before its first '.')
 *       against the workers' domains. Allocation-free.</li>
 *   <li>{@link #decide}: the route's worker if usable for sticky requests (not stopped, up; disabled is
 *       fine: that is draining). Otherwise, with {@code sticky_session_force}, refuse (503); else its
 *       {@code redirect}, else the least loaded worker of its domain, else normal selection.</li>
 *   <li>Normal selection: active and up workers with the lowest {@code distance}, then by the method:
 *       Request (least {@code lb_value}, charged on every request), Session (charged only on requests
 *       balanced here, i.e. new sessions) or Busyness (fewest in flight); all weighted by {@code lbfactor}.
 *       When every active worker is down, one is tried anyway (mod_jk's forced recovery).</li>
 * </ol>
 */
public final class Router {

    /** Returned by {@link #match} when the request carries no route that names a worker or a domain. */
    public static final int NO_MATCH = SessionIdFinder.NOT_FOUND;
    /** The most workers an lb may have: attempts are tracked as a bit set in a {@code long}. */
    public static final int MAX_WORKERS = 64;

    private final LbDef lb;
    private final List<WorkerState> workers;
    private final SessionIdFinder finder;
    private final RouteIndex routes;
    private final RouteIndex domains;
    private final int[][] domainMembers;
    private final int[] domainOfWorker;
    private final int[] redirectOf;
    /** Exact route first (0..n-1), then the route's domain (n + domain index): mod_jk's order per candidate. */
    private final RouteResolver matcher;
    /** {@link #matcher}, also telling the matched worker that one of its sessions asked for it (status page). */
    private final RouteResolver countingMatcher;

    public Router(LbDef lb, List<WorkerState> workers) {
        // none is possible while a balancer configured by its cluster has not learnt a member yet: it answers 503
        if (workers.size() > MAX_WORKERS) {
            throw new IllegalArgumentException("workers: " + workers.size() + " (expected: 1-" + MAX_WORKERS + ")");
        }
        this.lb = lb;
        this.workers = List.copyOf(workers);
        this.finder = new SessionIdFinder(lb.sessionCookie(), lb.sessionPath());
        int n = workers.size();
        List<String> routeNames = new ArrayList<>();
        Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            WorkerState w = workers.get(i);
            routeNames.add(w.route());
            if (!w.def().domain().isEmpty()) {
                byDomain.computeIfAbsent(w.def().domain(), d -> new ArrayList<>()).add(i);
            }
        }
        this.routes = RouteIndex.of(routeNames);
        this.domains = RouteIndex.of(List.copyOf(byDomain.keySet()));
        this.domainMembers = byDomain.values().stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        this.domainOfWorker = new int[n];
        this.redirectOf = new int[n];
        long lcm = 1;
        for (WorkerState w : workers) {
            lcm = lcm(lcm, w.def().lbfactor());
        }
        for (int i = 0; i < n; i++) {
            WorkerDef def = workers.get(i).def();
            domainOfWorker[i] = def.domain().isEmpty() ? -1 : domains.indexOf(def.domain());
            redirectOf[i] = indexOfNameOrRoute(def.redirect());
            workers.get(i).lbMultiplier = lcm / def.lbfactor();
        }
        this.matcher = (text, start, end) -> {
            int exact = routes.indexOf(text, start, end);
            if (exact >= 0) {
                return exact;
            }
            int dot = start;
            while (dot < end && text.charAt(dot) != '.') {
                dot++;
            }
            int domain = domains.indexOf(text, start, dot);
            return domain >= 0 ? n + domain : NO_MATCH;
        };
        this.countingMatcher = (text, start, end) -> {
            int m = matcher.resolve(text, start, end);
            if (m >= 0 && m < n) {
                this.workers.get(m).stickyRequest(baseHash(text, start - 1));
            }
            return m;
        };
    }

    /**
     * The hash of a session id's base, the id characters just before its first '.' at {@code dot}: a
     * candidate offered to a resolver is a usable id, so they are exactly the base.
     */
    private static int baseHash(CharSequence text, int dot) {
        int from = dot;
        while (from > 0 && isIdChar(text.charAt(from - 1))) {
            from--;
        }
        int h = 0;
        for (int i = from; i < dot; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    private static boolean isIdChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private int indexOfNameOrRoute(String nameOrRoute) {
        if (nameOrRoute.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < workers.size(); i++) {
            if (workers.get(i).name().equals(nameOrRoute)) {
                return i;
            }
        }
        return routes.indexOf(nameOrRoute);
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    public LbDef lb() {
        return lb;
    }

    public List<WorkerState> workers() {
        return workers;
    }

    /**
     * The request's route as a worker index ({@code 0..n-1}), a domain ({@link #isDomainMatch}), or
     * {@link #NO_MATCH}. Always {@link #NO_MATCH} when {@code sticky_session} is off. Allocation-free. Called
     * once per request: a match on a worker's route counts as one of its sticky requests.
     */
    public int match(CharSequence uri, Iterable<? extends CharSequence> cookieHeaders) {
        return lb.stickySession() ? finder.resolve(uri, cookieHeaders, countingMatcher) : NO_MATCH;
    }

    public boolean isDomainMatch(int match) {
        return match >= workers.size();
    }

    /**
     * The route text of a domain match (for the failover header); allocates, so it is called only on that
     * rare path.
     */
    public String routeOf(CharSequence uri, Iterable<? extends CharSequence> cookieHeaders) {
        String[] found = new String[1];
        finder.resolve(uri, cookieHeaders, (text, start, end) -> {
            int m = matcher.resolve(text, start, end);
            if (m >= 0) {
                found[0] = text.subSequence(start, end).toString();
            }
            return m;
        });
        return found[0];
    }

    /**
     * Where the next attempt of a request goes.
     *
     * @param match          what {@link #match} said
     * @param requestedRoute the route text for a domain match ({@link #routeOf}), else ignored
     * @param tried          bit {@code i} set for each worker already tried for this request
     */
    public Decision decide(int match, String requestedRoute, long tried) {
        if (match == NO_MATCH) {
            return balanced(tried, null);
        }
        if (isDomainMatch(match)) {
            WorkerState w = pickAmong(domainMembers[match - workers.size()], tried, true, false);
            if (w != null) {
                return new Decision(charge(w), tried == 0 ? Reason.DOMAIN : Reason.RETRIED, requestedRoute);
            }
            return lb.stickySessionForce() ? Decision.refused(Reason.DOMAIN, requestedRoute) : balanced(tried, requestedRoute);
        }
        WorkerState own = workers.get(match);
        if (!isTried(tried, match) && own.usableForSticky()) {
            return new Decision(charge(own), Reason.STICKY, null);
        }
        String movedFrom = own.route();
        if (lb.stickySessionForce()) {
            return Decision.refused(Reason.STICKY, movedFrom);
        }
        int redirect = redirectOf[match];
        if (redirect >= 0 && !isTried(tried, redirect) && workers.get(redirect).usableForNew()) {
            return new Decision(charge(workers.get(redirect)), Reason.REDIRECT, movedFrom);
        }
        if (domainOfWorker[match] >= 0) {
            WorkerState w = pickAmong(domainMembers[domainOfWorker[match]], tried, true, false);
            if (w != null) {
                return new Decision(charge(w), Reason.DOMAIN, movedFrom);
            }
        }
        return balanced(tried, movedFrom);
    }

    private Decision balanced(long tried, String movedFrom) {
        WorkerState w = pickAmong(null, tried, false, false);
        if (w == null) {
            // mod_jk's forced recovery: when every active worker is down, try one anyway rather than
            // answer 503 to everyone until a health check passes (the down marks may be stale)
            w = pickAmong(null, tried, false, true);
        }
        if (w == null) {
            return Decision.refused(tried == 0 ? Reason.BALANCED : Reason.RETRIED, movedFrom);
        }
        if (lb.method() == LbMethod.SESSION) {
            w.lbValue.addAndGet(w.lbMultiplier);
        }
        // a forced recovery may land on the session's own worker: then nothing moved
        String moved = movedFrom != null && movedFrom.equals(w.route()) ? null : movedFrom;
        return new Decision(charge(w), tried == 0 ? Reason.BALANCED : Reason.RETRIED, moved);
    }

    /** Request and Busyness charge every request they route (Busyness only to break ties fairly). */
    private WorkerState charge(WorkerState w) {
        if (lb.method() != LbMethod.SESSION) {
            w.lbValue.addAndGet(w.lbMultiplier);
        }
        return w;
    }

    /** Position of a worker in this router, for the {@code tried} bit set. */
    public int indexOf(WorkerState w) {
        return workers.indexOf(w);
    }

    public static long markTried(long tried, int index) {
        return tried | (1L << index);
    }

    private static boolean isTried(long tried, int index) {
        return (tried & (1L << index)) != 0;
    }

    /**
     * The best active, up (or, with {@code evenIfDown}, down), untried worker among {@code subset} (all
     * workers when null): lowest distance (ignored within a domain), then the method's measure weighted by
     * lbfactor, then lowest lb_value. Synchronized so that concurrent requests on several event loops see
     * each other's charges.
     */
    private synchronized WorkerState pickAmong(int[] subset, long tried, boolean withinDomain, boolean evenIfDown) {
        WorkerState best = null;
        int count = subset == null ? workers.size() : subset.length;
        for (int k = 0; k < count; k++) {
            int i = subset == null ? k : subset[k];
            WorkerState w = workers.get(i);
            boolean usable = evenIfDown ? w.activation() == Activation.ACTIVE : w.usableForNew();
            if (isTried(tried, i) || !usable) {
                continue;
            }
            if (best == null || better(w, best, withinDomain)) {
                best = w;
            }
        }
        return best;
    }

    private boolean better(WorkerState a, WorkerState b, boolean withinDomain) {
        if (!withinDomain && a.def().distance() != b.def().distance()) {
            return a.def().distance() < b.def().distance();
        }
        if (lb.method() == LbMethod.BUSYNESS) {
            long left = (long) a.inFlight() * b.def().lbfactor();
            long right = (long) b.inFlight() * a.def().lbfactor();
            if (left != right) {
                return left < right;
            }
        }
        return a.lbValue.get() < b.lbValue.get();
    }

    /**
     * A worker that comes back (health check, admin activation) starts level with the busiest, as mod_jk
     * does on recovery; otherwise its low lb_value would send it every new request until it caught up.
     */
    public void rejoin(WorkerState w) {
        long max = 0;
        for (WorkerState other : workers) {
            if (other != w) {
                max = Math.max(max, other.lbValue.get());
            }
        }
        w.lbValue.set(max);
    }
}
