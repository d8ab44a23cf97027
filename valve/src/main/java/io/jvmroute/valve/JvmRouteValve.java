package io.jvmroute.valve;

import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;
import java.io.IOException;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jakarta.servlet.ServletException;
import org.apache.catalina.Container;
import org.apache.catalina.Engine;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Service;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.ha.ClusterValve;
import org.apache.catalina.ha.session.JvmRouteBinderValve;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.valves.ValveBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Keeps a session's route pointing at the node that really serves it, without logging anyone out: it takes a
 * session over only when its node is gone, draining or unknown (or a trusted balancer says it failed over),
 * keeps old ids working after a rename on every node, renames once however many requests race, and moves
 * sessions to a peer while this node drains. It replaces Tomcat's {@code JvmRouteBinderValve}, which it
 * disables if the cluster added it.
 *
 * <pre>{@code
 * <Engine name="Catalina" defaultHost="localhost" jvmRoute="node1">
 *   <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" channelSendOptions="6"/>
 *   <Valve className="io.jvmroute.valve.JvmRouteValve"/>
 *   ...
 * }</pre>
 *
 * Every attribute is optional ({@code rewrite}, {@code failoverHeader}, {@code trustedProxies},
 * {@code draining}, and the cluster endpoint's {@code clusterPath}, {@code trustedBalancers}, {@code clusterToken},
 * {@code frontHost}); they, the JMX attributes and the placement rules are documented once, for operators, in
 * the module's README.md.
 */
public class JvmRouteValve extends ValveBase implements ClusterValve {

    static final String DEFAULT_TRUSTED_PROXIES = "127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1";

    private static final Log log = LogFactory.getLog(JvmRouteValve.class);
    private static final StringManager sm = StringManager.getManager(JvmRouteValve.class);

    private volatile RewritePolicy policy = RewritePolicy.FAILOVER;
    private volatile String failoverHeader = "X-JvmRoute-Failover";
    private volatile Pattern trustedProxies = Pattern.compile(DEFAULT_TRUSTED_PROXIES);
    private final ClusterEndpointSettings endpointSettings = new ClusterEndpointSettings();
    /** As configured or last set; while started, the node's state itself is {@link #nodeState}'s. */
    private volatile boolean draining;
    /** The owner of this node's state while started: the cluster's when it has one, else the valve's own. */
    private volatile NodeState nodeState;

    private final ValveCounters counters = new ValveCounters();
    /** Set by SimpleTcpCluster when nested in it, else found at start; read by JMX threads too. */
    private volatile CatalinaCluster cluster;
    /** Set while started with a usable route; {@code null} means requests pass unchanged. */
    private volatile SessionRouter router;
    private volatile String localRoute;
    private ClusterMembership membership;
    /** Set while started with a usable route; answers the balancer at {@code clusterPath}. */
    private volatile ClusterEndpoint endpoint;
    /** Where a balancer reaches this node, known once the Service's connectors are bound. */
    private volatile FrontAddresses front = FrontAddresses.NONE;
    private LifecycleListener frontPublisher;

    public JvmRouteValve() {
        super(true);
    }

    // ------------------------------------------------------------------ configuration (server.xml, JMX)

    public String getRewrite() {
        return policy.configValue();
    }

    public void setRewrite(String rewrite) {
        this.policy = RewritePolicy.parse(rewrite);
    }

    public String getFailoverHeader() {
        return failoverHeader;
    }

    public void setFailoverHeader(String failoverHeader) {
        if (failoverHeader == null || failoverHeader.isBlank()) {
            throw new IllegalArgumentException("failoverHeader: " + failoverHeader + " (expected: a header name)");
        }
        this.failoverHeader = failoverHeader.trim();
    }

    public String getTrustedProxies() {
        return trustedProxies.pattern();
    }

    /** A regular expression matched against the TCP peer's address, as RemoteIpValve's internalProxies. */
    public void setTrustedProxies(String trustedProxies) {
        try {
            this.trustedProxies = Pattern.compile(Objects.requireNonNull(trustedProxies, "trustedProxies"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("trustedProxies: " + trustedProxies + " (expected: a regular expression)", e);
        }
    }

    public String getClusterPath() {
        return endpointSettings.path();
    }

    /** Where the node answers its trusted balancers ({@link ClusterEndpoint}); empty switches it off. */
    public void setClusterPath(String clusterPath) {
        endpointSettings.path(clusterPath);
    }

    public String getTrustedBalancers() {
        return endpointSettings.trusted().pattern();
    }

    /** A regular expression matched against the TCP peer's address of a request to {@code clusterPath}. */
    public void setTrustedBalancers(String trustedBalancers) {
        endpointSettings.trusted(trustedBalancers);
    }

    /** Write-only in effect: the getter says whether one is set, never the token. */
    public String getClusterToken() {
        return endpointSettings.tokenOrNull() == null ? "" : "(set)";
    }

    public void setClusterToken(String clusterToken) {
        endpointSettings.token(clusterToken);
    }

    public String getFrontHost() {
        return endpointSettings.frontHost();
    }

    /** The host balancers reach this node's connectors at, when the connectors' own addresses are not it. */
    public void setFrontHost(String frontHost) {
        endpointSettings.frontHost(frontHost);
    }

    /** Whether this node drains, however that started (here, the cluster's JMX, a shutdown). */
    public boolean isDraining() {
        NodeState owner = nodeState;
        return owner == null ? draining : owner.state() == MemberState.DRAINING;
    }

    /** Starts or stops draining, at any time; peers see the new state through the membership payload. */
    public void setDraining(boolean draining) {
        this.draining = draining;
        NodeState owner = nodeState;
        if (owner != null && (owner.state() == MemberState.DRAINING) != draining) {
            log.info(sm.getString(draining ? "jvmRouteValve.drainStarted" : "jvmRouteValve.drainStopped", localRoute));
            publish(owner, draining ? MemberState.DRAINING : MemberState.ACTIVE);
        }
    }

    /** JMX operation. */
    public void startDraining() {
        setDraining(true);
    }

    /** JMX operation. */
    public void stopDraining() {
        setDraining(false);
    }

    @Override
    public CatalinaCluster getCluster() {
        return cluster;
    }

    @Override
    public void setCluster(CatalinaCluster cluster) {
        this.cluster = cluster;
    }

    // ------------------------------------------------------------------ JMX read-only

    /** This node's route, or {@code null} while stopped or when the Engine has none. */
    public String getLocalRoute() {
        return localRoute;
    }

    public long getRenames() {
        return counters.renames.sum();
    }

    public long getOldIdHits() {
        return counters.oldIdHits.sum();
    }

    public long getMigrations() {
        return counters.migrations.sum();
    }

    public long getRefusals() {
        return counters.refusals.sum();
    }

    public void resetCounters() {
        counters.reset();
    }

    RewritePolicy policy() {
        return policy;
    }

    Pattern trustedProxyPattern() {
        return trustedProxies;
    }

    Pattern trustedBalancerPattern() {
        return endpointSettings.trusted();
    }

    String clusterTokenOrNull() {
        return endpointSettings.tokenOrNull();
    }

    FrontAddresses front() {
        return front;
    }

    // ------------------------------------------------------------------ lifecycle and requests

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        ClusterEndpoint answering = endpoint;
        if (answering != null && answering.handles(request)) {
            answering.serve(request, response);
            return;
        }
        SessionRouter current = router;
        if (current != null && !request.isAsyncDispatching()) {
            current.route(request);
        }
        getNext().invoke(request, response);
    }

    @Override
    protected void startInternal() throws LifecycleException {
        Service service = Container.getService(getContainer());
        Engine engine = service == null ? null : service.getContainer();
        String route = engine == null ? null : engine.getJvmRoute();
        IdProblem problem = SessionId.checkRoute(route);
        if (problem != null) {
            log.error(sm.getString("jvmRouteValve.noJvmRoute", engine == null ? "?" : engine.getName(), route,
                    route == null || route.isEmpty() ? "missing" : problem.description()));
        } else {
            if (cluster == null && getContainer().getCluster() instanceof CatalinaCluster found) {
                cluster = found;
            }
            disableStockBinders();
            localRoute = route;
            membership = new ClusterMembership(cluster, route);
            Channel channel = cluster == null ? null : cluster.getChannel();
            if (channel != null) {
                channel.addMembershipListener(membership);
            }
            if (cluster instanceof NodeState owner) {
                nodeState = owner; // jvmroute's RouteCluster: one owner of the state and the payload
                if (draining) {
                    publish(owner, MemberState.DRAINING);
                }
            } else {
                ValveNodeState own = new ValveNodeState(cluster, route, draining ? MemberState.DRAINING : MemberState.ACTIVE);
                nodeState = own;
                publish(own, own.state());
            }
            router = new SessionRouter(this, route, membership, counters);
            endpoint = new ClusterEndpoint(this, membership, route, engine);
            publishFrontWhenBound(service);
            log.info(sm.getString("jvmRouteValve.started", route, getRewrite(), cluster == null ? "none" : cluster.getClusterName()));
        }
        super.startInternal();
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        router = null;
        endpoint = null;
        if (frontPublisher != null) {
            Container.getService(getContainer()).removeLifecycleListener(frontPublisher);
            frontPublisher = null;
        }
        nodeState = null;
        Channel channel = cluster == null ? null : cluster.getChannel();
        if (channel != null && membership != null) {
            channel.removeMembershipListener(membership);
        }
        membership = null;
        localRoute = null;
        cluster = null; // found again at the next start, as a nested valve is given it again
        counters.reset();
    }

    /**
     * Publishes this node's front addresses in its membership payload once the Service's connectors are bound
     * (they start after the Engine, and a port configured as 0 is known only then), so balancers learn them.
     */
    private void publishFrontWhenBound(Service service) {
        frontPublisher = event -> {
            if (Lifecycle.AFTER_START_EVENT.equals(event.getType())) {
                publishFront(service);
            }
        };
        service.addLifecycleListener(frontPublisher);
        if (service.getState() == LifecycleState.STARTED) { // the valve alone restarted
            publishFront(service);
        }
    }

    private void publishFront(Service service) {
        FrontAddresses found = FrontAddresses.of(service, cluster, endpointSettings.frontHost());
        front = found;
        NodeState owner = nodeState;
        if (owner != null) {
            LocalPayload.update(cluster, localRoute, owner.state(), p -> p.withFront(found.http(), found.ajp()));
        }
    }

    private void publish(NodeState owner, MemberState state) {
        if (!owner.changeState(state) && cluster != null) {
            log.warn(sm.getString("jvmRouteValve.noChannel", cluster.getClusterName()));
        }
    }

    /**
     * Tomcat's cluster adds JvmRouteBinderValve when no cluster valve is configured; it would rename every
     * stray request this valve deliberately leaves alone, so it is switched off (once, with a note).
     */
    private void disableStockBinders() {
        if (cluster != null) {
            disableStockBinders(cluster.getValves());
        }
        for (Container c = getContainer(); c != null; c = c.getParent()) {
            disableStockBinders(c.getPipeline().getValves());
        }
    }

    private static void disableStockBinders(Valve[] valves) {
        for (Valve valve : valves) {
            if (valve instanceof JvmRouteBinderValve binder && binder.getEnabled()) {
                binder.setEnabled(false);
                log.warn(sm.getString("jvmRouteValve.binderDisabled"));
            }
        }
    }
}
