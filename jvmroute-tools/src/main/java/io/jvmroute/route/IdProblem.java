package io.jvmroute.route;

/** Why a text is not a usable session id (see {@link IdSyntax} for the accepted character set). */
public enum IdProblem {
    /** Nothing there: an empty cookie value or path parameter. */
    EMPTY("empty"),
    /** Longer than 256 characters. */
    TOO_LONG("longer than 256 characters"),
    /** A character outside {@code [A-Za-z0-9_-]} and the '.' separators: control characters, quotes, non-ASCII. */
    ILLEGAL_CHARACTER("characters other than A-Z a-z 0-9 _ - and ."),
    /** Starts with '.', as in {@code .jvm1}. */
    EMPTY_BASE("nothing before the first '.'"),
    /** Ends with the separator, as in {@code ABC.}. */
    EMPTY_ROUTE("nothing after the '.'"),
    /** An empty part inside the route, as in {@code ABC..jvm1} or {@code ABC.dc1.}. */
    EMPTY_ROUTE_SEGMENT("an empty part in the route ('..' or a trailing '.')");

    private final String description;

    IdProblem(String description) {
        this.description = description;
    }

    /** A short phrase for a log line or an operator's error message. */
    public String description() {
        return description;
    }
}
