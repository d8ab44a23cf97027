package io.jvmroute.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Ports for servers a test starts on 127.0.0.x, never fixed ones (other builds run on the same machine).
 * A port picked free is bound a moment later, and another socket may take it in between (seen in CI as a
 * BindException); {@link #retryOnLostPort} runs such a start again on freshly picked ports.
 */
public final class FreePorts {

    /** Attempts of {@link #retryOnLostPort}: a second loss in a row is rare, a third means something else. */
    static final int ATTEMPTS = 3;

    /**
     * A start that picks its ports itself, inside the attempt, and hands what it started to {@code started}:
     * a failed attempt closes those before the next one (nodes of one JVM must not outlive it, their JMX
     * names would clash with the next attempt's).
     */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(Started started) throws Exception;
    }

    /** What one attempt started so far; closed, newest first, when the attempt fails. */
    public static final class Started {
        private final Deque<AutoCloseable> resources = new ArrayDeque<>();

        private Started() {
        }

        /** Notes {@code resource} as started by this attempt and returns it. */
        public <C extends AutoCloseable> C add(C resource) {
            resources.push(resource);
            return resource;
        }

        private void closeAll(Exception failure) {
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private FreePorts() {
    }

    /** A port free on every given address right now (one port for all: static cluster members share it). */
    public static int on(String... hosts) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress(hosts[0], 0));
                port = first.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on " + hosts[0], e);
            }
            if (freeOnAll(port, hosts)) {
                return port;
            }
        }
        throw new IllegalStateException("no common free port on " + String.join(", ", hosts));
    }

    private static boolean freeOnAll(int port, String... hosts) {
        for (String host : hosts) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code attempt}; when it fails because a port it picked was taken meanwhile, runs it again (at most
     * {@value #ATTEMPTS} times in all). Any other failure is thrown at once.
     */
    public static <T> T retryOnLostPort(Attempt<T> attempt) throws Exception {
        for (int run = 1; ; run++) {
            Started started = new Started();
            try {
                return attempt.run(started);
            } catch (Exception e) {
                started.closeAll(e);
                if (run == ATTEMPTS || !isLostPort(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Whether a start failed on a port in use: a BindException anywhere in the causes, or a start check that
     * found the port taken and says so in one line (RouteCluster: "... is in use by another process ...").
     */
    public static boolean isLostPort(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("is in use by another process")
                    || message.contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
