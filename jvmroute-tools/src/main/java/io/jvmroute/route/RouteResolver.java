package io.jvmroute.route;

/**
 * Decides what a candidate session id's route means to the caller, so that {@link SessionIdFinder} can try
 * the candidates in order without allocating: the route is passed as a region of the request text.
 */
@FunctionalInterface
public interface RouteResolver {

    /**
     * Called for each usable candidate id that carries a route, in mod_jk order.
     *
     * @param text       the request text holding the candidate (the URI or a Cookie header)
     * @param routeStart index of the route's first character (just after the id's first '.')
     * @param routeEnd   index just past the route's last character
     * @return a value {@code >= 0} to stop with that answer, or a negative value to try the next candidate
     */
    int resolve(CharSequence text, int routeStart, int routeEnd);
}
