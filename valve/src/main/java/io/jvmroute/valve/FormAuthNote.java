package io.jvmroute.valve;

import io.jvmroute.route.ParsedId;
import io.jvmroute.route.SessionId;
import org.apache.catalina.Session;
import org.apache.catalina.authenticator.Constants;

/**
 * Keeps a FORM login in progress working across a route change. FormAuthenticator stores the session id it
 * expects in a note and refuses {@code j_security_check} when the request's id differs (CSRF protection);
 * Tomcat's own JvmRouteBinderValve updates the note on rename (BZ 66120). This also updates it when the
 * rename happened on another node (DeltaManager renames the session there but not the note), recognising the
 * session's earlier ids by their base.
 */
final class FormAuthNote {

    private FormAuthNote() {
    }

    /** Points the note at {@code currentId} if it holds an earlier id of the same session. */
    static void follow(Session session, SessionId currentId) {
        if (session.getNote(Constants.SESSION_ID_NOTE) instanceof String noted
                && !noted.equals(currentId.toString())
                && SessionId.parse(noted) instanceof ParsedId.Usable usable
                && usable.sessionId().base().equals(currentId.base())) {
            session.setNote(Constants.SESSION_ID_NOTE, currentId.toString());
        }
    }
}
