package io.jvmroute.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the session id a request asks for, the way mod_jk's lb worker does: the {@code ;jsessionid=} path
 * parameter first, then <b>every</b> {@code JSESSIONID} cookie of every Cookie header in order (a browser
 * sends several when cookies of different paths or domains share the name). Quoted cookie values are
 * unquoted. Candidates that are not usable ids ({@link IdSyntax}) are skipped, and the next one is tried.
 *
 * <p>The {@code resolve...} methods are the balancer's hot path: they scan the request text in place and
 * hand each candidate's route to a {@link RouteResolver} as a region, allocating nothing. The work is
 * linear in the length of the text, so a hostile 64 KiB header with thousands of cookies costs one pass.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SessionIdFinder {

    /** Returned when no candidate resolved. */
    public static final int NOT_FOUND = -1;

    /** Tomcat's and mod_jk's defaults: cookie {@code JSESSIONID}, path parameter {@code jsessionid}. */
    public static final SessionIdFinder DEFAULT = new SessionIdFinder("JSESSIONID", "jsessionid");

    private final String cookieName;
    private final String pathParameterName;

    /**
     * @param cookieName        the session cookie's name (mod_jk {@code session_cookie})
     * @param pathParameterName the path parameter's name (mod_jk {@code session_path}); a leading ';' as
     *                          mod_jk writes it ({@code ;jsessionid}) is accepted
     */
    public SessionIdFinder(String cookieName, String pathParameterName) {
        this.cookieName = checkName("cookieName", cookieName);
        String path = Objects.requireNonNull(pathParameterName, "pathParameterName");
        this.pathParameterName = checkName("pathParameterName", path.startsWith(";") ? path.substring(1) : path);
    }

    private static String checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + ": empty (expected: a cookie or parameter name)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "=;,\"\\/?#".indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + ": " + name
                        + " (expected: printable ASCII without spaces or = ; , \" \\ / ? #)");
            }
        }
        return name;
    }

    public String cookieName() {
        return cookieName;
    }

    public String pathParameterName() {
        return pathParameterName;
    }

    /**
     * Tries every candidate of the request in order and returns the first answer {@code >= 0} of the
     * resolver, or {@link #NOT_FOUND}. Either argument may be {@code null} (absent); null headers are skipped.
     */
    public int resolve(CharSequence uri, Iterable<? extends CharSequence> cookieHeaders, RouteResolver resolver) {
        int answer = resolveInPath(uri, resolver);
        if (answer >= 0 || cookieHeaders == null) {
            return answer;
        }
        for (CharSequence header : cookieHeaders) {
            answer = resolveInCookieHeader(header, resolver);
            if (answer >= 0) {
                return answer;
            }
        }
        return NOT_FOUND;
    }

    /** Like {@link #resolve} but with only an exact match of the route against {@code routes}. */
    public int findRoute(CharSequence uri, Iterable<? extends CharSequence> cookieHeaders, RouteIndex routes) {
        return resolve(uri, cookieHeaders, routes);
    }

    /** Tries the path parameters of {@code uri} (the part before '?' or '#'); {@code null} finds nothing. */
    public int resolveInPath(CharSequence uri, RouteResolver resolver) {
        return uri == null ? NOT_FOUND : scanPath(uri, Objects.requireNonNull(resolver, "resolver"), null);
    }

    /** Tries the session cookies of one Cookie header value; {@code null} finds nothing. */
    public int resolveInCookieHeader(CharSequence header, RouteResolver resolver) {
        return header == null ? NOT_FOUND : scanCookies(header, Objects.requireNonNull(resolver, "resolver"), null);
    }

    /** The first usable requested id (with or without a route), in the same order; for logs, valves and tools. */
    public Optional<SessionId> requestedId(CharSequence uri, Iterable<? extends CharSequence> cookieHeaders) {
        List<ParsedId> all = candidates(uri, cookieHeaders);
        for (ParsedId candidate : all) {
            if (candidate instanceof ParsedId.Usable usable) {
                return Optional.of(usable.sessionId());
            }
        }
        return Optional.empty();
    }

    /**
     * Every candidate in order, usable or not, with the reason for each unusable one: what
     * {@code jvmroute decode} shows an operator. At most {@code 64} candidates are returned.
     */
    public List<ParsedId> candidates(CharSequence uri, Iterable<? extends CharSequence> cookieHeaders) {
        List<ParsedId> out = new ArrayList<>();
        if (uri != null && scanPath(uri, null, out) >= 0) {
            return out;
        }
        if (cookieHeaders != null) {
            for (CharSequence header : cookieHeaders) {
                if (header != null && scanCookies(header, null, out) >= 0) {
                    return out;
                }
            }
        }
        return out;
    }

    private static final int MAX_LISTED_CANDIDATES = 64;

    /**
     * One candidate value {@code text[start, end)}: collected when {@code collector} is given (tools), else
     * its route resolved (hot path; no lambda here, so nothing is allocated per request). Returns
     * {@code >= 0} to stop scanning.
     */
    private static int offer(CharSequence text, int start, int end, RouteResolver resolver, List<ParsedId> collector) {
        if (collector != null) {
            collector.add(SessionId.parse(text, start, end));
            return collector.size() >= MAX_LISTED_CANDIDATES ? 0 : NOT_FOUND;
        }
        if (IdSyntax.check(text, start, end) != null) {
            return NOT_FOUND;
        }
        int dot = IdSyntax.firstDot(text, start, end);
        return dot < 0 ? NOT_FOUND : resolver.resolve(text, dot + 1, end);
    }

    /** {@code ;name=value} in the path; a value ends at ';', '/', '?', '#' or the end of the path. */
    private int scanPath(CharSequence uri, RouteResolver resolver, List<ParsedId> collector) {
        int pathEnd = uri.length();
        for (int i = 0; i < pathEnd; i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                pathEnd = i;
                break;
            }
        }
        int nameLength = pathParameterName.length();
        for (int i = 0; i < pathEnd; i++) {
            if (uri.charAt(i) != ';') {
                continue;
            }
            int nameStart = i + 1;
            int equals = nameStart + nameLength;
            if (equals >= pathEnd || uri.charAt(equals) != '=' || !regionIs(uri, nameStart, pathParameterName)) {
                continue;
            }
            int valueStart = equals + 1;
            int valueEnd = valueStart;
            while (valueEnd < pathEnd && !endsPathValue(uri.charAt(valueEnd))) {
                valueEnd++;
            }
            int answer = offer(uri, valueStart, valueEnd, resolver, collector);
            if (answer >= 0) {
                return answer;
            }
            i = valueEnd - 1;
        }
        return NOT_FOUND;
    }

    private static boolean endsPathValue(char c) {
        return c == ';' || c == '/' || c == '?' || c == '#';
    }

    /** RFC 6265 {@code name=value; name=value}, tolerant of extra blanks and of pairs without '='. */
    private int scanCookies(CharSequence header, RouteResolver resolver, List<ParsedId> collector) {
        int n = header.length();
        int i = 0;
        while (i < n) {
            while (i < n && isBlankOrSemicolon(header.charAt(i))) {
                i++;
            }
            int nameStart = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            if (i >= n || header.charAt(i) == ';') {
                continue; // a pair without '=' is no cookie we want
            }
            int nameEnd = trimEnd(header, nameStart, i);
            int valueStart = i + 1;
            while (i < n && header.charAt(i) != ';') {
                i++;
            }
            int valueEnd = trimEnd(header, valueStart, i);
            valueStart = trimStart(header, valueStart, valueEnd);
            if (nameEnd - nameStart == cookieName.length() && regionIs(header, nameStart, cookieName)) {
                if (valueEnd - valueStart >= 2 && header.charAt(valueStart) == '"' && header.charAt(valueEnd - 1) == '"') {
                    valueStart++;
                    valueEnd--;
                }
                int answer = offer(header, valueStart, valueEnd, resolver, collector);
                if (answer >= 0) {
                    return answer;
                }
            }
        }
        return NOT_FOUND;
    }

    private static boolean isBlankOrSemicolon(char c) {
        return c == ' ' || c == '\t' || c == ';';
    }

    private static int trimStart(CharSequence s, int start, int end) {
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        return start;
    }

    private static int trimEnd(CharSequence s, int start, int end) {
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return end;
    }

    private static boolean regionIs(CharSequence s, int start, String expected) {
        if (start + expected.length() > s.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (s.charAt(start + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
