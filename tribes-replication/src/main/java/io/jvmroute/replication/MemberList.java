package io.jvmroute.replication;

import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed {@code members="jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000"} attribute: every member's route and the
 * address its Tribes receiver listens on. Immutable; {@link #parse} refuses anything ambiguous with a message
 * that names the offending entry, because a cluster that silently guesses pairs the wrong nodes.
 */
final class MemberList {

    /** One member: its route (the Engine jvmRoute there) and its replication address. */
    record Entry(String route, String host, int port) {
        /** 16 bytes that name the member in Tribes on every node alike: SHA-256 of the route, truncated. */
        byte[] uniqueId() {
            return io.jvmroute.replication.secure.MemberIds.of(route);
        }

        String address() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return route + "=" + address();
        }
    }

    private final List<Entry> entries;

    private MemberList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses the attribute.
     *
     * @throws IllegalArgumentException naming the first problem: syntax, a bad route, a bad port, a route or an
     *                                  address given twice
     */
    static MemberList parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "members: empty (expected: route=host:port[,route=host:port...], e.g. jvm1=10.0.0.1:4000)");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> routes = new HashSet<>();
        Map<String, String> addresses = new HashMap<>();
        for (String raw : text.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            Entry entry = parseEntry(item);
            if (!routes.add(entry.route())) {
                throw new IllegalArgumentException("members: route " + entry.route() + " is listed twice (expected: "
                        + "each route once; two nodes with one route would receive each other's users)");
            }
            String previous = addresses.putIfAbsent(entry.address(), entry.route());
            if (previous != null) {
                throw new IllegalArgumentException("members: " + previous + " and " + entry.route()
                        + " share the address " + entry.address() + " (expected: one receiver address per member)");
            }
            entries.add(entry);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("members: " + text + " lists no member");
        }
        return new MemberList(entries);
    }

    private static Entry parseEntry(String item) {
        int eq = item.indexOf('=');
        int colon = item.lastIndexOf(':');
        if (eq <= 0 || colon < eq + 2 || colon == item.length() - 1) {
            throw new IllegalArgumentException("members: " + item + " (expected: route=host:port)");
        }
        String route = item.substring(0, eq).strip();
        IdProblem problem = SessionId.checkRoute(route);
        if (problem != null) {
            throw new IllegalArgumentException("members: route " + route + " in " + item + " is not a usable route ("
                    + problem.description() + ")");
        }
        String host = item.substring(eq + 1, colon).strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(item.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("members: port in " + item + " (expected: 1..65535)");
        }
        return new Entry(route, host, port);
    }

    List<Entry> entries() {
        return entries;
    }

    Optional<Entry> find(String route) {
        return entries.stream().filter(e -> e.route().equals(route)).findFirst();
    }

    /** The members other than {@code localRoute}. */
    List<Entry> peersOf(String localRoute) {
        return entries.stream().filter(e -> !e.route().equals(localRoute)).toList();
    }

    /** The normalized text, in the order given; part of the settings fingerprint. */
    @Override
    public String toString() {
        return String.join(",", entries.stream().map(Entry::toString).toList());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
