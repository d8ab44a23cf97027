package io.jvmroute.valve;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The cluster endpoint's settings, as the valve's setters take them from server.xml or JMX: kept apart so the
 * valve's own fields stay about routing. Each bad value is refused with what was expected.
 */
final class ClusterEndpointSettings {

    static final String DEFAULT_PATH = "/.jvmroute/cluster";

    private volatile String path = DEFAULT_PATH;
    private volatile Pattern trusted = Pattern.compile(JvmRouteValve.DEFAULT_TRUSTED_PROXIES);
    private volatile String token;
    private volatile String frontHost = "";

    String path() {
        return path;
    }

    void path(String value) {
        String v = value == null ? "" : value.trim();
        if (!v.isEmpty() && (!v.startsWith("/") || v.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '?' || c == ';'))) {
            throw new IllegalArgumentException("clusterPath: " + value + " (expected: a path starting with '/', or empty to switch the endpoint off)");
        }
        path = v;
    }

    Pattern trusted() {
        return trusted;
    }

    void trusted(String regex) {
        try {
            trusted = Pattern.compile(Objects.requireNonNull(regex, "trustedBalancers"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("trustedBalancers: " + regex + " (expected: a regular expression)", e);
        }
    }

    String tokenOrNull() {
        return token;
    }

    void token(String value) {
        String v = value == null ? "" : value.trim();
        if (!v.isEmpty() && v.length() < 16) {
            throw new IllegalArgumentException("clusterToken: " + v.length() + " characters (expected: at least 16, or empty for none)");
        }
        token = v.isEmpty() ? null : v;
    }

    String frontHost() {
        return frontHost;
    }

    void frontHost(String value) {
        String v = value == null ? "" : value.trim();
        if (v.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '/')) {
            throw new IllegalArgumentException("frontHost: " + value + " (expected: a host name or address)");
        }
        frontHost = v;
    }
}
