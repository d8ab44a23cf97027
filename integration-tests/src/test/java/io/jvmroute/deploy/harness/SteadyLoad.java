package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load like a working day's: logged-in users each polling the protected page every 50 ms (one
 * request in flight per user), plus a new user logging in every 250 ms. It records what users saw: failed
 * requests, lost logins (the login form, or a page without the user), stale reads (a visit counter that went
 * backwards: a lost or forked update), renames (a changed session id), and each user's longest gap between two
 * answers.
 */
public final class SteadyLoad implements AutoCloseable {

    private static final long POLL_MILLIS = 50;
    private static final long LOGIN_MILLIS = 250;

    private final URI app;
    private final ScheduledExecutorService pool;
    private final Map<WebUser, Track> tracks = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger lostLogins = new AtomicInteger();
    private final AtomicInteger staleReads = new AtomicInteger();
    private final AtomicInteger renames = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger loginFailures = new AtomicInteger();

    /** Per user, touched only by that user's own polling task. */
    private static final class Track {
        volatile String route;
        long lastAnswer = System.nanoTime();
        long longestGap;
        int visits;
        volatile long answers;
    }

    private SteadyLoad(URI app, List<WebUser> users) {
        this.app = app;
        this.pool = Executors.newScheduledThreadPool(users.size() + 1, runnable -> {
            Thread thread = new Thread(runnable, "steady-load");
            thread.setDaemon(true);
            return thread;
        });
        for (WebUser user : users) {
            Track track = new Track();
            track.route = Users.routeOf(user.sessionId());
            tracks.put(user, track);
            pool.scheduleWithFixedDelay(() -> poll(user, track), 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        pool.scheduleWithFixedDelay(this::logInSomeone, LOGIN_MILLIS, LOGIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Logs {@code users} in through {@code app} and starts them polling. */
    public static SteadyLoad start(URI app, int users) throws IOException, InterruptedException {
        List<WebUser> pollers = Users.next(users);
        for (WebUser user : pollers) {
            user.logIn(app);
        }
        return new SteadyLoad(app, pollers);
    }

    private void poll(WebUser user, Track track) {
        requests.incrementAndGet();
        String before = user.sessionId();
        try {
            WebUser.Facts facts = user.whoAmI(app);
            long now = System.nanoTime();
            track.longestGap = Math.max(track.longestGap, now - track.lastAnswer);
            track.lastAnswer = now;
            track.answers++;
            if (facts.status() != 200) {
                failures.incrementAndGet();
                problems.add(user.name() + ": HTTP " + facts.status());
            } else if (!facts.loggedInAs(user.name())) {
                lostLogins.incrementAndGet();
                problems.add(user.name() + ": logged out (" + facts + ")");
            } else {
                if (facts.visits() <= track.visits) {
                    staleReads.incrementAndGet();
                    problems.add(user.name() + ": visits " + facts.visits() + " after " + track.visits + " on " + facts.node());
                }
                track.visits = facts.visits();
                track.route = facts.node();
            }
            if (before != null && !before.equals(user.sessionId())) {
                renames.incrementAndGet();
            }
        } catch (IOException e) {
            failures.incrementAndGet();
            problems.add(user.name() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void logInSomeone() {
        WebUser user = Users.next();
        try {
            user.logIn(app);
            logins.incrementAndGet();
        } catch (IOException e) {
            loginFailures.incrementAndGet();
            problems.add(user.name() + " login: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long requests() {
        return requests.get();
    }

    /** The pollers whose session lives on {@code route} now. */
    public List<WebUser> usersOn(String route) {
        List<WebUser> on = new ArrayList<>();
        tracks.forEach((user, track) -> {
            if (route.equals(track.route)) {
                on.add(user);
            }
        });
        return on;
    }

    /** Answers {@code user} has had so far: a real signal that the load has moved on. */
    public long answers(WebUser user) {
        return tracks.get(user).answers;
    }

    /** Stops the load (requests in flight finish) and says what the users saw. */
    public Result stop(List<WebUser> affected) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(90, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        Map<String, Long> gaps = new TreeMap<>();
        for (WebUser user : affected) {
            gaps.put(user.name(), tracks.get(user).longestGap / 1_000_000);
        }
        long worst = tracks.values().stream().mapToLong(t -> t.longestGap / 1_000_000).max().orElse(0);
        return new Result(requests.get(), failures.get(), lostLogins.get(), staleReads.get(), renames.get(), logins.get(),
                loginFailures.get(), gaps, worst, List.copyOf(problems));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** What the users saw. {@code gaps}: longest time between two answers of each affected user, ms. */
    public record Result(long requests, int failures, int lostLogins, int staleReads, int renames, int logins,
                         int loginFailures, Map<String, Long> gaps, long worstGapMillis, List<String> problems) {

        public String figures() {
            return String.format("%d requests, %d failures, %d lost logins, %d stale reads, %d renames, %d new logins"
                    + " (%d failed); worst gap %d ms; affected users' gaps (ms) %s", requests, failures, lostLogins, staleReads,
                    renames, logins, loginFailures, worstGapMillis, gaps);
        }

        /** The first problems, for an assertion message. */
        public String firstProblems() {
            return String.join("\n", problems.subList(0, Math.min(20, problems.size())));
        }
    }
}
