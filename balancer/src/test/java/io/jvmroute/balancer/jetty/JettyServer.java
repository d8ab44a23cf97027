package io.jvmroute.balancer.jetty;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.SessionHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A real embedded Jetty 12 server standing in for a CloudStack management server: sessions kept in memory,
 * its {@link DefaultSessionIdManager} worker name set as CloudStack's Jetty sets it ({@code "node" +
 * JETTY_WORKER_INSTANCE}), so its session cookies end in {@code .nodeN}. Under {@code /client/api}:
 * {@code ?command=login} creates a session holding the user; any other command answers 200 with the user
 * and this server's name when the session is known here, else 401 (the UI then shows its login page).
 */
final class JettyServer implements AutoCloseable {

    final String workerName;
    private final Server server;
    private final ServerConnector connector;

    JettyServer(String host, String workerName) throws Exception {
        this.workerName = workerName;
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(0);
        server.addConnector(connector);
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        ids.setWorkerName(workerName);
        server.addBean(ids, true);
        SessionHandler sessions = new SessionHandler();
        sessions.setSessionIdManager(ids);
        sessions.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String query = String.valueOf(request.getHttpURI().getQuery());
                if (query.contains("command=login")) {
                    Session session = request.getSession(true);
                    session.setAttribute("user", "admin");
                    answer(response, callback, 200, "logged in on " + workerName);
                    return true;
                }
                Session session = request.getSession(false);
                if (session == null || session.getAttribute("user") == null) {
                    answer(response, callback, 401, "not logged in on " + workerName);
                } else {
                    answer(response, callback, 200, session.getAttribute("user") + " on " + workerName);
                }
                return true;
            }
        });
        server.setHandler(sessions);
        server.start();
    }

    private static void answer(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
    }

    String host() {
        return connector.getHost();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** What a management server that dies looks like to the balancer: the port closes, sessions are gone. */
    @Override
    public void close() throws Exception {
        server.stop();
    }
}
