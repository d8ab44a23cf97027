package io.jvmroute.config;

import java.util.Objects;

/**
 * A host and port as an operator writes them: {@code 127.0.0.1:8080}, {@code :8080} (every address),
 * {@code [::1]:8080} or a bare {@code 8080}. The host stays unresolved text; an empty host means "any".
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(port + " (expected: a port 1-65535, or 0 for a listener on any free port)");
        }
    }

    /** Parses {@code [host]:port}; a missing host is {@code defaultHost}; the port must be 1-65535. */
    public static HostPort parse(String text, String defaultHost) {
        return parse(text, defaultHost, false);
    }

    /** Parses a listen address: like {@link #parse} but port 0 (any free port) is allowed. */
    public static HostPort parseListen(String text, String defaultHost) {
        return parse(text, defaultHost, true);
    }

    private static HostPort parse(String text, String defaultHost, boolean anyPort) {
        String t = Objects.requireNonNull(text, "text").trim();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(defaultHost, port(t, anyPort));
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(text + " (expected: an IPv6 address in brackets, as [::1]:8080)");
        }
        return new HostPort(host.isEmpty() ? defaultHost : host, port(t.substring(colon + 1), anyPort));
    }

    private static int port(String text, boolean anyPort) {
        return anyPort && text.trim().equals("0") ? 0 : Values.parsePort(text);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
