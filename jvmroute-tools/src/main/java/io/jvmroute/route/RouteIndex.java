package io.jvmroute.route;

import java.util.List;
import java.util.Objects;

/**
 * An immutable map from route names to their position in a list, looked up by a region of any
 * {@link CharSequence} without allocating: the balancer matches a cookie's route against its workers on
 * every request without creating a String.
 *
 * <p>Open addressing over a power-of-two table, at most half full; keys are compared character by
 * character, case-sensitively (as mod_jk compares routes).
 */
public final class RouteIndex implements RouteResolver {

    /** Returned by the lookups when the route is not in the index. */
    public static final int ABSENT = -1;

    private final String[] keys;
    private final int[] values;
    private final int mask;
    private final List<String> routes;

    private RouteIndex(List<String> routes) {
        this.routes = List.copyOf(routes);
        int capacity = Integer.highestOneBit(Math.max(2, this.routes.size() * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < this.routes.size(); i++) {
            String route = Objects.requireNonNull(this.routes.get(i), "routes[" + i + "]");
            int slot = hash(route, 0, route.length()) & mask;
            while (keys[slot] != null) {
                if (keys[slot].equals(route)) {
                    throw new IllegalArgumentException("routes: " + route + " appears twice (expected: unique routes)");
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = route;
            values[slot] = i;
        }
    }

    /** An index of these routes; each maps to its position in the list. Duplicates are rejected. */
    public static RouteIndex of(List<String> routes) {
        return new RouteIndex(Objects.requireNonNull(routes, "routes"));
    }

    /** The routes in list order. */
    public List<String> routes() {
        return routes;
    }

    /** The position of the route equal to {@code s[start, end)}, or {@link #ABSENT}. */
    public int indexOf(CharSequence s, int start, int end) {
        int slot = hash(s, start, end) & mask;
        int length = end - start;
        for (String key; (key = keys[slot]) != null; slot = (slot + 1) & mask) {
            if (key.length() == length && regionEquals(key, s, start)) {
                return values[slot];
            }
        }
        return ABSENT;
    }

    /** Resolves a candidate route by exact match: its position, or {@link #ABSENT} to try the next one. */
    @Override
    public int resolve(CharSequence text, int routeStart, int routeEnd) {
        return indexOf(text, routeStart, routeEnd);
    }

    /** The position of {@code route}, or {@link #ABSENT}. */
    public int indexOf(CharSequence route) {
        return indexOf(route, 0, route.length());
    }

    private static boolean regionEquals(String key, CharSequence s, int start) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != s.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(CharSequence s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
