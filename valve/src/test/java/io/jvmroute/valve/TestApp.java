package io.jvmroute.valve;

import io.jvmroute.testsupport.FormLogin;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The web application every test node deploys at {@code /app} (distributable, FORM login for
 * {@code /secure/*} as {@link FormLogin} sets it up), with servlets that print what the application sees of
 * its session.
 * <ul>
 *   <li>{@code /s/login?user=U}: creates the session and stores the user (an application-level login)</li>
 *   <li>{@code /s/whoami}: {@code session=ID user=U}, or {@code session=none}</li>
 *   <li>{@code /s/links}: a link made with {@code encodeURL}</li>
 *   <li>{@code /secure/page}: {@code SECRET remoteUser=U} behind FORM login</li>
 * </ul>
 */
final class TestApp {

    static final String USER = FormLogin.USER;

    /** Counts HttpSessionIdListener events on this node: local renames and those replicated from peers. */
    final AtomicInteger idChanges = new AtomicInteger();

    void deploy(Context ctx) {
        Tomcat.addServlet(ctx, "session", new SessionServlet());
        ctx.addServletMappingDecoded("/s/*", "session");
        ctx.addServletContainerInitializer((classes, servletContext) -> servletContext.addListener(
                new HttpSessionIdListener() {
                    @Override
                    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
                        idChanges.incrementAndGet();
                    }
                }), null);
    }

    /** {@code session=ID user=U}: what the application sees. */
    static String describe(HttpSession session) {
        return session == null ? "session=none" : "session=" + session.getId() + " user=" + session.getAttribute("user");
    }

    private static final class SessionServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            String path = req.getPathInfo();
            if ("/login".equals(path)) {
                HttpSession session = req.getSession(true);
                session.setAttribute("user", req.getParameter("user"));
                resp.getWriter().print(describe(session));
            } else if ("/links".equals(path)) {
                resp.getWriter().print(describe(req.getSession(false)) + " link="
                        + resp.encodeURL(req.getContextPath() + "/s/whoami"));
            } else {
                resp.getWriter().print(describe(req.getSession(false)));
            }
        }
    }
}
