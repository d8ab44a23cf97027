package io.jvmroute.route;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link SessionId#parse}: a usable id or the reason there is none. Parsing client input
 * never throws; callers branch on {@code instanceof} or use {@link #id()}.
 */
public sealed interface ParsedId permits ParsedId.Usable, ParsedId.Unusable {

    /** The id, or empty when the text was not usable. */
    Optional<SessionId> id();

    /** Whether the text was a usable id. */
    default boolean isUsable() {
        return this instanceof Usable;
    }

    /** A usable id. */
    record Usable(SessionId sessionId) implements ParsedId {
        public Usable {
            Objects.requireNonNull(sessionId, "sessionId");
        }

        @Override
        public Optional<SessionId> id() {
            return Optional.of(sessionId);
        }
    }

    /** Not a usable id, and why. One shared instance per problem: rejecting hostile input allocates nothing. */
    record Unusable(IdProblem problem) implements ParsedId {
        private static final Unusable[] BY_PROBLEM = new Unusable[IdProblem.values().length];

        static {
            for (IdProblem p : IdProblem.values()) {
                BY_PROBLEM[p.ordinal()] = new Unusable(p);
            }
        }

        public Unusable {
            Objects.requireNonNull(problem, "problem");
        }

        static Unusable of(IdProblem problem) {
            return BY_PROBLEM[problem.ordinal()];
        }

        @Override
        public Optional<SessionId> id() {
            return Optional.empty();
        }
    }
}
