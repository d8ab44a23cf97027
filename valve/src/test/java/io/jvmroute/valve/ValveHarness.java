package io.jvmroute.valve;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Session;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.StandardService;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.http.Rfc6265CookieProcessor;

/**
 * A JvmRouteValve in an Engine > Host > distributable Context with a StandardManager, nothing started but the
 * valve, and requests built as Tomcat's TestRemoteIpValve builds them. {@code Request}/{@code Response}
 * constructors differ between Tomcat 10.1 and 11, so they are found reflectively.
 */
final class ValveHarness {

    final StandardEngine engine = new StandardEngine();
    final StandardContext context = new StandardContext();
    final WindowManager manager = new WindowManager();
    final JvmRouteValve valve = new JvmRouteValve();
    final Recorder next = new Recorder();

    ValveHarness(String engineName, String jvmRoute) {
        StandardService service = new StandardService();
        service.setName(engineName + "-service");
        engine.setName(engineName);
        engine.setJvmRoute(jvmRoute);
        service.setContainer(engine);
        StandardHost host = new StandardHost();
        host.setName("localhost");
        engine.addChild(host);
        context.setName("/app");
        context.setPath("/app");
        context.setDistributable(true);
        context.setCookieProcessor(new Rfc6265CookieProcessor());
        host.addChild(context);
        context.setManager(manager);
        valve.setContainer(engine);
        valve.setNext(next);
    }

    ValveHarness start() throws Exception {
        valve.start();
        return this;
    }

    void stop() throws Exception {
        valve.stop();
        valve.destroy();
    }

    /** A session as if replicated here with this id. */
    Session addSession(String id) {
        Session session = manager.createEmptySession();
        session.setNew(true);
        session.setValid(true);
        session.setCreationTime(System.currentTimeMillis());
        session.setMaxInactiveInterval(1800);
        session.setId(id, false);
        return session;
    }

    Session find(String id) throws Exception {
        return manager.findSession(id);
    }

    /** A request for the context carrying {@code sessionId} in a cookie, from {@code peerAddress}. */
    Request request(String sessionId, String peerAddress) throws Exception {
        Connector connector = new Connector();
        org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
        org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
        coyoteRequest.setResponse(coyoteResponse);
        coyoteRequest.peerAddr().setString(peerAddress);
        Request request = newRequest(connector, coyoteRequest);
        Response response = newResponse(coyoteResponse);
        request.setResponse(response);
        response.setRequest(request);
        request.getMappingData().context = context;
        request.setRequestedSessionId(sessionId);
        request.setRequestedSessionCookie(true);
        return request;
    }

    void invoke(Request request) throws Exception {
        valve.invoke(request, request.getResponse());
    }

    private static Request newRequest(Connector connector, org.apache.coyote.Request coyoteRequest) throws Exception {
        try {
            Constructor<Request> c = Request.class.getConstructor(Connector.class, org.apache.coyote.Request.class);
            return c.newInstance(connector, coyoteRequest); // Tomcat 11
        } catch (NoSuchMethodException tomcat10) {
            Request request = Request.class.getConstructor(Connector.class).newInstance(connector);
            Request.class.getMethod("setCoyoteRequest", org.apache.coyote.Request.class).invoke(request, coyoteRequest);
            return request;
        }
    }

    private static Response newResponse(org.apache.coyote.Response coyoteResponse) throws Exception {
        try {
            return Response.class.getConstructor(org.apache.coyote.Response.class).newInstance(coyoteResponse);
        } catch (NoSuchMethodException tomcat10) {
            Response response = Response.class.getConstructor().newInstance();
            Response.class.getMethod("setCoyoteResponse", org.apache.coyote.Response.class).invoke(response, coyoteResponse);
            return response;
        }
    }

    /**
     * A StandardManager that can hold {@code StandardSession.setId}'s gap open: during a rename the session
     * has left the map under its old id and is not yet in it under the new one. With {@link #holdRenameGap}
     * set, the renaming thread waits in that gap until another thread looks a session up (the race the valve's
     * lock prevents), or 300 ms when nobody does, the outcome when the valve is right. So a missing lock makes
     * the concurrency test fail every time instead of once in a while.
     */
    static final class WindowManager extends StandardManager {
        volatile boolean holdRenameGap;
        private volatile CountDownLatch lookupInGap;

        @Override
        public Session findSession(String id) throws IOException {
            CountDownLatch latch = lookupInGap;
            if (latch != null) {
                latch.countDown();
            }
            return super.findSession(id);
        }

        @Override
        public void changeSessionId(Session session, String newId) {
            if (holdRenameGap) {
                lookupInGap = new CountDownLatch(1);
            }
            super.changeSessionId(session, newId);
        }

        @Override
        public void remove(Session session, boolean update) {
            super.remove(session, update);
            CountDownLatch latch = lookupInGap;
            if (latch != null) {
                lookupInGap = null;
                try {
                    latch.await(300, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The next valve: records what the application would see. */
    static final class Recorder extends ValveBase {
        /** What one request looked like to the application. */
        record Seen(String requestedId, Session session, String setCookie) {
        }

        final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void invoke(Request request, Response response) {
            seen.add(new Seen(request.getRequestedSessionId(), request.getSessionInternal(false),
                    response.getHeader("Set-Cookie")));
        }

        Seen last() {
            return seen.get(seen.size() - 1);
        }
    }
}
