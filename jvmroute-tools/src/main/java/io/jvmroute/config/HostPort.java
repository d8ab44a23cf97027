package io.jvmroute.config;

import java.util.Objects;

/**
 * A host and port as an operator writes them: {@code 127.0.0.1:8080}, {@code :8080} (every address),
 * {@code [::1]:8080} or a bare {@code 8080}. The host stays unresolved text; an empty host means "any".
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        Values.checkPort(port);
    }

    /** Parses {@code [host]:port}; a missing host is {@code defaultHost}. */
    public static HostPort parse(String text, String defaultHost) {
        String t = Objects.requireNonNull(text, "text").trim();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(defaultHost, Values.parsePort(t));
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(text + " (expected: an IPv6 address in brackets, as [::1]:8080)");
        }
        return new HostPort(host.isEmpty() ? defaultHost : host, Values.parsePort(t.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
