package io.jvmroute.valve;

import io.jvmroute.membership.ClusterReport;
import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * The node's cluster endpoint, on its own connector at the valve's {@code clusterPath}: a trusted balancer reads
 * the cluster (every member's route, state and front addresses, and how many sessions still point here) with GET,
 * and drains or reactivates this node with {@code POST ?action=drain|activate}. Off until a {@code clusterToken}
 * is set (the request then goes on to the webapps like any other); answered only to addresses matching
 * {@code trustedBalancers} presenting {@code Authorization: Bearer <clusterToken>}. The address alone is not
 * enough: a balancer in front of this node is a trusted address, and its clients' requests arrive from it.
 * Answers are plain text ({@link ClusterReport}), nothing is deserialized.
 */
final class ClusterEndpoint {

    private static final Log log = LogFactory.getLog(ClusterEndpoint.class);
    private static final StringManager sm = StringManager.getManager(ClusterEndpoint.class);

    private final JvmRouteValve valve;
    private final ClusterMembership membership;
    private final String route;
    private final Engine engine;

    ClusterEndpoint(JvmRouteValve valve, ClusterMembership membership, String route, Engine engine) {
        this.valve = valve;
        this.membership = membership;
        this.route = route;
        this.engine = engine;
    }

    /** Whether the request is for this endpoint (then {@link #serve} answers it and nothing else runs). */
    boolean handles(Request request) {
        String path = valve.getClusterPath();
        return !path.isEmpty() && valve.clusterTokenOrNull() != null && path.equals(request.getDecodedRequestURI());
    }

    void serve(Request request, Response response) throws IOException {
        String peer = request.getRequest().getRemoteAddr();
        if (!valve.trustedBalancerPattern().matcher(peer).matches()) {
            log.warn(sm.getString("clusterEndpoint.untrusted", peer));
            answer(response, 403, "not a trusted balancer address: " + peer + " (the valve's trustedBalancers)\n");
            return;
        }
        if (!authorized(request, valve.clusterTokenOrNull())) {
            answer(response, 401, "wrong or missing cluster token\n");
            return;
        }
        if ("POST".equals(request.getMethod())) {
            act(request, response);
        } else if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            answer(response, 200, report().format());
        } else {
            response.setHeader("Allow", "GET, HEAD, POST");
            answer(response, 405, "GET reads the cluster, POST ?action=drain|activate changes this node\n");
        }
    }

    /** Every member as this node sees it, itself included, and the sessions still pointing here. */
    ClusterReport report() {
        Map<String, ClusterReport.Member> members = new TreeMap<>();
        for (MemberPayload payload : membership.payloads()) {
            members.merge(payload.route(), ClusterReport.Member.of(payload),
                    (a, b) -> a.state() == MemberState.ACTIVE ? a : b); // two members, one route: as ClusterView
        }
        FrontAddresses front = valve.front();
        MemberState state = valve.isDraining() ? MemberState.DRAINING : MemberState.ACTIVE;
        members.put(route, new ClusterReport.Member(route, state, front.http(), front.ajp(), membership.localFingerprint()));
        List<ClusterReport.Member> sorted = new ArrayList<>(members.values());
        sorted.sort(Comparator.comparing(ClusterReport.Member::route));
        return new ClusterReport(route, sessionsPointingHere(), sorted);
    }

    private void act(Request request, Response response) throws IOException {
        String action = queryValue(request.getQueryString(), "action");
        switch (action) {
            case "drain" -> valve.setDraining(true);
            case "activate" -> valve.setDraining(false);
            default -> {
                answer(response, 400, "action: '" + action + "' (expected: drain or activate)\n");
                return;
            }
        }
        log.info(sm.getString("clusterEndpoint.action", action, route, request.getRequest().getRemoteAddr()));
        answer(response, 200, "node " + route + " is " + (valve.isDraining() ? "draining" : "active") + "\n");
    }

    /** Sessions in this Engine's contexts whose id still carries this node's route: users still sent here. */
    private long sessionsPointingHere() {
        String suffix = "." + route;
        long count = 0;
        for (Container host : engine.findChildren()) {
            for (Container child : host.findChildren()) {
                Manager manager = child instanceof Context context ? context.getManager() : null;
                if (manager == null) {
                    continue;
                }
                for (Session session : manager.findSessions()) {
                    if (session.getIdInternal() != null && session.getIdInternal().endsWith(suffix)) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    private static boolean authorized(Request request, String token) {
        String header = request.getHeader("Authorization");
        if (token == null || header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of {@code name} in a query string of plain words (the only values this endpoint takes). */
    static String queryValue(String query, String name) {
        if (query == null) {
            return "";
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static void answer(Response response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter writer = response.getWriter();
        writer.write(body);
        writer.flush();
    }
}
