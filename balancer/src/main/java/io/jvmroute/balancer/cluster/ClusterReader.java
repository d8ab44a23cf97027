package io.jvmroute.balancer.cluster;

import io.jvmroute.config.ClusterSettings;
import io.jvmroute.membership.ClusterReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the cluster every {@code cluster.interval}: asks the seeds and every member learnt so far for their
 * valve's cluster endpoint, all at once, and hands the union of what they say to the balancer. A member is in the
 * view while a reachable node names it; its state is what its own node says when it answered, else what its
 * peers say. When no node answers, the last view is kept and marked unreachable (and logged once).
 */
public final class ClusterReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterReader.class);

    private final Supplier<ClusterSettings> settings;
    private final Consumer<LearnedCluster> listener;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmroute-cluster-reader");
        t.setDaemon(true);
        return t;
    });
    private volatile LearnedCluster last = LearnedCluster.NOTHING_YET;

    public ClusterReader(Supplier<ClusterSettings> settings, Consumer<LearnedCluster> listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public void start() {
        timer.execute(this::readAndReschedule);
    }

    public LearnedCluster last() {
        return last;
    }

    private void readAndReschedule() {
        ClusterSettings s = settings.get();
        try {
            if (s.enabled()) {
                LearnedCluster next = read(s);
                if (last.reachable() && !next.reachable()) {
                    LOG.warn("cannot read the cluster ({}); keeping its last view of {} members", next.problem(), next.members().size());
                } else if (!last.reachable() && next.reachable() && last != LearnedCluster.NOTHING_YET) {
                    LOG.info("reading the cluster again: {} members", next.members().size());
                }
                last = next;
                listener.accept(next);
            }
        } catch (RuntimeException e) {
            LOG.error("reading the cluster failed", e); // the next reading still runs
        }
        if (!timer.isShutdown()) {
            timer.schedule(this::readAndReschedule, s.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One reading: every target at once, each within a second. */
    LearnedCluster read(ClusterSettings s) {
        Set<String> targets = new LinkedHashSet<>();
        s.seeds().forEach(seed -> targets.add(seed.toString()));
        last.members().values().forEach(m -> {
            if (!m.http().isEmpty()) {
                targets.add(m.http());
            }
        });
        Map<String, CompletableFuture<ClusterReport.Parsed>> answers = new HashMap<>();
        for (String target : targets) {
            answers.put(target, ask(target, s));
        }
        List<ClusterReport> reports = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        answers.forEach((target, answer) -> {
            ClusterReport.Parsed parsed = answer.join();
            if (parsed.isOk()) {
                reports.add(parsed.reportOrNull());
            } else {
                problems.add(target + ": " + parsed.problem());
            }
        });
        if (reports.isEmpty()) {
            return last.unreachable(String.join("; ", problems));
        }
        Map<String, ClusterReport.Member> members = new TreeMap<>();
        Map<String, Long> sessions = new HashMap<>();
        for (ClusterReport report : reports) {
            report.members().forEach(m -> members.putIfAbsent(m.route(), m));
            sessions.put(report.self(), report.selfSessions());
        }
        for (ClusterReport report : reports) { // a node knows its own state best
            ClusterReport.Member self = report.member(report.self());
            if (self != null) {
                members.put(self.route(), self);
            }
        }
        return new LearnedCluster(members, sessions, true, System.currentTimeMillis(), "");
    }

    private CompletableFuture<ClusterReport.Parsed> ask(String target, ClusterSettings s) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + target + s.path())).timeout(Duration.ofSeconds(1))
                    .header("User-Agent", "jvmroute-balancer").GET();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new ClusterReport.Parsed(null, "not an address: " + e.getMessage()));
        }
        s.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() == 200 ? ClusterReport.parse(r.body())
                        : new ClusterReport.Parsed(null, "HTTP " + r.statusCode() + " " + firstLine(r.body())))
                .exceptionally(e -> new ClusterReport.Parsed(null, describe(e)));
    }

    private static String firstLine(String body) {
        String line = body == null ? "" : body.lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 100) : line;
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    /** Tells one node to drain or become active again ({@code action=drain|activate}); completes with its answer. */
    public CompletableFuture<String> tell(String front, String action) {
        ClusterSettings s = settings.get();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + front + s.path() + "?action=" + action))
                .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.noBody());
        s.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() == 200 ? r.body().strip() : "not told: HTTP " + r.statusCode() + " " + firstLine(r.body()))
                .exceptionally(e -> "not told: " + describe(e));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
