package io.jvmroute.testsupport;

import java.io.IOException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.authenticator.FormAuthenticator;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

/**
 * Container FORM login as a web.xml would declare it: {@code /secure/*} needs role {@code user}, which
 * {@link #USER}/{@link #PASSWORD} has. The login page answers {@link #LOGIN_PAGE}, the error page
 * {@link #ERROR_PAGE}, and a protected page {@code SECRET remoteUser=U} unless the app maps a more specific
 * path under {@code /secure/}.
 */
public final class FormLogin {

    public static final String USER = "alice";
    public static final String PASSWORD = "secret";
    public static final String ROLE = "user";
    /** Body of the login form page ({@code /login.html}). */
    public static final String LOGIN_PAGE = "login form";
    /** Body of the login error page ({@code /error.html}). */
    public static final String ERROR_PAGE = "login error";

    private FormLogin() {
    }

    /** The {@code j_security_check} form body for {@link #USER}. */
    public static String credentials() {
        return "j_username=" + USER + "&j_password=" + PASSWORD;
    }

    static void install(Tomcat tomcat, Context context) {
        tomcat.addUser(USER, PASSWORD);
        tomcat.addRole(USER, ROLE);
        Tomcat.addServlet(context, "formLoginPages", new PagesServlet());
        context.addServletMappingDecoded("/login.html", "formLoginPages");
        context.addServletMappingDecoded("/error.html", "formLoginPages");
        context.addServletMappingDecoded("/secure/*", "formLoginPages");

        context.setLoginConfig(new LoginConfig("FORM", null, "/login.html", "/error.html"));
        SecurityCollection collection = new SecurityCollection();
        collection.addPatternDecoded("/secure/*");
        SecurityConstraint constraint = new SecurityConstraint();
        constraint.addAuthRole(ROLE);
        constraint.addCollection(collection);
        context.addConstraint(constraint);
        context.addSecurityRole(ROLE);
        context.getPipeline().addValve(new FormAuthenticator());
    }

    private static final class PagesServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            String path = req.getServletPath();
            if ("/login.html".equals(path)) {
                resp.getWriter().print(LOGIN_PAGE);
            } else if ("/error.html".equals(path)) {
                resp.getWriter().print(ERROR_PAGE);
            } else {
                resp.getWriter().print("SECRET remoteUser=" + req.getRemoteUser());
            }
        }
    }
}
