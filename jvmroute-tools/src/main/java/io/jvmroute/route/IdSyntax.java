package io.jvmroute.route;

/**
 * The character set jvmroute accepts in a session id, in one place.
 *
 * <p>An id is {@code BASE} or {@code BASE.ROUTE}. The base is one or more of {@code [A-Za-z0-9_-]} (Tomcat's
 * upper-case hex, Jetty's alphanumerics and base64url all fit). The route is one or more dot-separated
 * segments, each one or more of {@code [A-Za-z0-9_-]} (mod_jk worker names and Tomcat jvmRoutes in practice).
 * The whole id is at most {@link #MAX_ID_LENGTH} characters. Anything else — spaces, control characters,
 * quotes, non-ASCII, empty segments such as {@code ABC.} or {@code ABC..x} — is not a usable id: a balancer
 * treats it like no id at all and a valve leaves it to Tomcat, which will not find such a session.
 */
final class IdSyntax {

    /** Longest id accepted; Tomcat's default is 32 hex characters plus a route. */
    static final int MAX_ID_LENGTH = 256;

    private IdSyntax() {
    }

    static boolean isIdChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /**
     * Checks {@code s[start, end)} as a whole id. Returns {@code null} when it is usable, else the problem.
     * The first '.' separates base and route.
     */
    static IdProblem check(CharSequence s, int start, int end) {
        int length = end - start;
        if (length <= 0) {
            return IdProblem.EMPTY;
        }
        if (length > MAX_ID_LENGTH) {
            return IdProblem.TOO_LONG;
        }
        int firstDot = -1;
        int segmentStart = start;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (i == segmentStart) {
                    return firstDot < 0 ? IdProblem.EMPTY_BASE : IdProblem.EMPTY_ROUTE_SEGMENT;
                }
                if (firstDot < 0) {
                    firstDot = i;
                }
                segmentStart = i + 1;
            } else if (!isIdChar(c)) {
                return IdProblem.ILLEGAL_CHARACTER;
            }
        }
        if (segmentStart == end) {
            // "ABC." or "ABC.dc1."
            return firstDot == end - 1 ? IdProblem.EMPTY_ROUTE : IdProblem.EMPTY_ROUTE_SEGMENT;
        }
        return null;
    }

    /** Index of the first '.' in {@code s[start, end)}, or -1. */
    static int firstDot(CharSequence s, int start, int end) {
        for (int i = start; i < end; i++) {
            if (s.charAt(i) == '.') {
                return i;
            }
        }
        return -1;
    }
}
