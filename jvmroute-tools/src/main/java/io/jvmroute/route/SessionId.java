package io.jvmroute.route;

import java.util.Objects;
import java.util.Optional;

/**
 * A session id and its route, the one owner of the {@code BASE.ROUTE} format shared by Tomcat, mod_jk and
 * every jvmroute component.
 *
 * <ul>
 *   <li>The route is everything after the <b>first</b> '.': {@code ABC.dc1.n7} has base {@code ABC} and route
 *       {@code dc1.n7}. An id without '.' has no route.</li>
 *   <li>The route's part before its own first '.' is its <i>domain</i> (mod_jk {@code domain} semantics):
 *       {@code dc1} above; a route without '.' is its own domain.</li>
 *   <li>Only ids that pass {@link IdSyntax} exist as values: {@link #parse} never throws and says why a text
 *       is not usable.</li>
 * </ul>
 *
 * <p>Instances are immutable; {@link #toString()} is the id as it travels in a cookie.
 */
public final class SessionId {

    private final String base;
    private final String route;
    private final String text;

    private SessionId(String base, String route) {
        this.base = base;
        this.route = route;
        this.text = route.isEmpty() ? base : base + '.' + route;
    }

    /**
     * Parses a session id as it arrives from a client. Never throws: {@code null} and every malformed text
     * give an {@link ParsedId.Unusable} naming the problem.
     */
    public static ParsedId parse(CharSequence text) {
        if (text == null) {
            return ParsedId.Unusable.of(IdProblem.EMPTY);
        }
        return parse(text, 0, text.length());
    }

    /** Parses {@code text[start, end)} as a session id; see {@link #parse(CharSequence)}. */
    public static ParsedId parse(CharSequence text, int start, int end) {
        IdProblem problem = IdSyntax.check(text, start, end);
        if (problem != null) {
            return ParsedId.Unusable.of(problem);
        }
        int dot = IdSyntax.firstDot(text, start, end);
        if (dot < 0) {
            return new ParsedId.Usable(new SessionId(text.subSequence(start, end).toString(), ""));
        }
        return new ParsedId.Usable(new SessionId(text.subSequence(start, dot).toString(),
                text.subSequence(dot + 1, end).toString()));
    }

    /**
     * Formats a new id from a base and a route, for code that issues ids. Unlike {@link #parse}, this is for
     * trusted input and rejects a bad value with an exception naming it.
     *
     * @param route the route, or the empty string for an id without one
     */
    public static SessionId of(String base, String route) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(route, "route");
        if (IdSyntax.firstDot(base, 0, base.length()) >= 0) {
            throw new IllegalArgumentException("base: " + base + " (expected: no '.')");
        }
        SessionId id = new SessionId(base, route);
        IdProblem problem = IdSyntax.check(id.text, 0, id.text.length());
        if (problem != null) {
            throw new IllegalArgumentException("session id: " + id.text + " (expected: " + expectation(problem) + ")");
        }
        return id;
    }

    /** Checks a route as an operator writes it (an Engine jvmRoute, a worker's route); {@code null} if fine. */
    public static IdProblem checkRoute(String route) {
        if (route == null || route.isEmpty()) {
            return IdProblem.EMPTY_ROUTE;
        }
        // A route is valid exactly when "x." + route is a valid id.
        IdProblem problem = IdSyntax.check("x." + route, 0, route.length() + 2);
        return problem == IdProblem.EMPTY_BASE ? IdProblem.EMPTY_ROUTE_SEGMENT : problem;
    }

    private static String expectation(IdProblem problem) {
        return "not " + problem.description();
    }

    /** The part before the first '.', never empty. */
    public String base() {
        return base;
    }

    /** Whether the id carries a route. */
    public boolean hasRoute() {
        return !route.isEmpty();
    }

    /** Everything after the first '.', or the empty string when there is no route. */
    public String route() {
        return route;
    }

    /** The route's part before its first '.' (the whole route if it has none), or empty without a route. */
    public String domain() {
        int dot = route.indexOf('.');
        return dot < 0 ? route : route.substring(0, dot);
    }

    /** The same base with another route: what a failover or a drain migration issues. */
    public SessionId withRoute(String newRoute) {
        return of(base, newRoute);
    }

    /** The same base without a route. */
    public SessionId withoutRoute() {
        return route.isEmpty() ? this : new SessionId(base, "");
    }

    /** Whether this id carries exactly {@code otherRoute}. */
    public boolean hasRoute(String otherRoute) {
        return route.equals(otherRoute);
    }

    /** This id's route, if it has one. */
    public Optional<String> optionalRoute() {
        return route.isEmpty() ? Optional.empty() : Optional.of(route);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionId && ((SessionId) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The id as it travels: {@code BASE} or {@code BASE.ROUTE}. */
    @Override
    public String toString() {
        return text;
    }
}
