package io.jvmroute.deploy.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out users of the realm so that no two scenarios of a run share one. */
public final class Users {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private Users() {
    }

    public static WebUser next() {
        return new WebUser(NEXT.getAndIncrement() % DeploymentFiles.USERS);
    }

    public static List<WebUser> next(int count) {
        List<WebUser> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(next());
        }
        return users;
    }

    /** The route of a session id (after its first '.'), or "" without one. */
    public static String routeOf(String sessionId) {
        int dot = sessionId == null ? -1 : sessionId.indexOf('.');
        return dot < 0 ? "" : sessionId.substring(dot + 1);
    }

    /** The base of a session id (before its first '.'). */
    public static String baseOf(String sessionId) {
        int dot = sessionId.indexOf('.');
        return dot < 0 ? sessionId : sessionId.substring(0, dot);
    }
}
