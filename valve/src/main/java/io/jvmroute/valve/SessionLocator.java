package io.jvmroute.valve;

import io.jvmroute.route.ParsedId;
import io.jvmroute.route.SessionId;
import java.io.IOException;
import java.util.List;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;

/**
 * Finds the session a requested id stands for, also after the id's route changed: a rename keeps the base,
 * so the base with each candidate route (and without one) finds it on any node, without per-session state.
 */
final class SessionLocator {

    /**
     * A session and its id when found.
     *
     * @param underRequestedId whether it was found under the id the client sent
     */
    record Found(Session session, SessionId id, boolean underRequestedId) {
    }

    private SessionLocator() {
    }

    /**
     * Looks the requested id up, then its base with each candidate route, then the bare base; {@code null}
     * when none is a valid session.
     */
    static Found locate(Manager manager, SessionId requested, List<String> candidateRoutes) {
        Found found = found(find(manager, requested.toString()), true);
        for (int i = 0; found == null && i < candidateRoutes.size(); i++) {
            String route = candidateRoutes.get(i);
            if (!requested.hasRoute(route)) {
                found = found(find(manager, requested.base() + '.' + route), false);
            }
        }
        if (found == null && requested.hasRoute()) {
            found = found(find(manager, requested.base()), false);
        }
        return found;
    }

    /** The valid session with exactly this id, or {@code null}; a failing store counts as not found. */
    static Session find(Manager manager, String id) {
        try {
            Session session = manager.findSession(id);
            return session != null && session.isValid() ? session : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads the session's id now, not the key it was found under: another thread may have renamed it in
     * between, and the Session object is the same across a rename.
     */
    private static Found found(Session session, boolean underRequestedId) {
        if (session == null) {
            return null;
        }
        return SessionId.parse(session.getIdInternal()) instanceof ParsedId.Usable usable
                ? new Found(session, usable.sessionId(), underRequestedId)
                : null;
    }
}
