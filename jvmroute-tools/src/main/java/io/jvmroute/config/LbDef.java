package io.jvmroute.config;

import java.util.List;
import java.util.Objects;

/**
 * A load-balancer worker ({@code worker.<name>.type=lb}).
 *
 * @param name               the lb worker's name ({@code wlb})
 * @param members            its {@code balance_workers}, in order
 * @param stickySession      route requests carrying a session id to the worker of its route (default true)
 * @param stickySessionForce answer 503 rather than move a session whose worker is unusable (default false)
 * @param method             how requests without a usable route are balanced
 * @param sessionCookie      the session cookie's name ({@code session_cookie}, default JSESSIONID)
 * @param sessionPath        the path parameter's name ({@code session_path}, default jsessionid)
 */
public record LbDef(String name, List<String> members, boolean stickySession, boolean stickySessionForce,
                    LbMethod method, String sessionCookie, String sessionPath) {

    public LbDef {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(sessionCookie, "sessionCookie");
        Objects.requireNonNull(sessionPath, "sessionPath");
    }

    /** An lb over these workers with mod_jk's defaults. */
    public static LbDef defaults(String name, List<String> members) {
        return new LbDef(name, members, true, false, LbMethod.REQUEST, "JSESSIONID", "jsessionid");
    }
}
