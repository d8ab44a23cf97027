package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.membership.NodeState;
import io.jvmroute.replication.secure.PlaintextPolicy;
import io.jvmroute.replication.secure.SecureReplication;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.catalina.Container;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * A Tomcat cluster configured by one element, that loses no login.
 *
 * <pre>
 * &lt;Engine name="Catalina" defaultHost="localhost" jvmRoute="jvm1"&gt;
 *   &lt;Cluster className="io.jvmroute.replication.RouteCluster"
 *            members="jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000,jvm3=10.0.0.3:4000"
 *            loginAttributes="userid,sessionkey"
 *            certificateFile="${catalina.base}/conf/jvmroute/jvm1.crt"
 *            certificateKeyFile="${catalina.base}/conf/jvmroute/jvm1.key"
 *            caCertificateFile="${catalina.base}/conf/jvmroute/ca.crt"/&gt;
 * </pre>
 *
 * At start it fills in what {@link SimpleTcpCluster} would need some forty lines for: the local member is the one
 * whose route is the Engine's {@code jvmRoute} ({@link ClusterSetup}), static membership ({@link StaticChannel}),
 * a {@link RouteManager} template, a {@link ReplicationValve}. A nested {@code <Channel>}, {@code <Manager>},
 * {@code <Valve>} or listener replaces the corresponding default. Each misconfiguration, a refused attribute value
 * included ({@link SettingCheck}), stops the start with one line saying what to fix.
 *
 * <p>The attributes are documented once, in the module's README.md. This class holds them and the lifecycle;
 * {@link PeerCheck} decides who may join, {@link LaneTransport} carries the lanes' frames, and
 * {@link PublishedState} owns this node's state and payload ({@link MemberPayload}), which the valve reaches
 * through {@link NodeState}; {@link ShutdownDrain} drains it before a shutdown.
 */
public class RouteCluster extends SimpleTcpCluster implements NodeState {

    private static final Log log = LogFactory.getLog(RouteCluster.class);
    private static final StringManager sm = StringManager.getManager(RouteCluster.class);

    /** Peers must apply a message before acknowledging it: the lanes' ordering relies on it. */
    static final int ORDERED_SEND_OPTIONS = Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK;
    /** Messages a lane holds before a request thread that adds one waits for room (README, lanes). */
    static final int LANE_CAPACITY = 10_000;
    private static final long PEER_WAIT_MILLIS = 5_000;

    // Settings (bean properties set by the Digester, checked at start)
    private final SettingCheck settings = new SettingCheck();
    private String membersText;
    private Set<String> loginAttributes = Set.of();
    private String replicate = "all";
    private volatile long drainOnShutdownMillis = 3_000;
    // One lane: a frame then carries everything queued during the previous frame's round trip, and the
    // per-frame cost (wake-ups, syscalls, the ack) is what a CPU-bound node runs out of first (README, cost).
    private int lanes = 1;
    private int maxBatch = 64;
    private boolean channelGiven;
    private boolean managerGiven;

    // Resolved at start
    private MemberList members;
    private String localRoute;
    private String fingerprint;
    private volatile PeerCheck peerCheck;
    private volatile OrderedSender orderedSender;
    private final PeerMetrics metrics = new PeerMetrics();
    private final SecureReplication secure = new SecureReplication();
    private final PublishedState state = new PublishedState();
    private volatile ShutdownDrain shutdownDrain;
    private volatile Map<InetSocketAddress, String> memberRoutes = Map.of();
    private volatile boolean started;

    public RouteCluster() {
        // State transfer and other unordered messages: acknowledged, never the lossy asynchronous default.
        setChannelSendOptions(ORDERED_SEND_OPTIONS);
    }

    // ------------------------------------------------------------- Properties (README.md, "Attributes")

    /** The {@code members} attribute as given (the getter {@code getMembers()} is Tomcat's member array). */
    public String getMemberList() {
        return membersText;
    }

    public void setMembers(String members) {
        this.membersText = members;
    }

    public String getLoginAttributes() {
        return String.join(",", new TreeSet<>(loginAttributes));
    }

    public void setLoginAttributes(String names) {
        this.loginAttributes = SettingCheck.names(names);
    }

    public String getReplicate() {
        return replicate;
    }

    public void setReplicate(String replicate) {
        this.replicate = settings.oneOf("replicate", replicate, Set.of("all", "login"), "all or login", this.replicate);
    }

    public long getDrainOnShutdown() {
        return drainOnShutdownMillis;
    }

    public void setDrainOnShutdown(String millis) {
        this.drainOnShutdownMillis = settings.number("drainOnShutdown", millis, 0, Long.MAX_VALUE, "0 or more ms",
                drainOnShutdownMillis);
    }

    /** The same setting changed over JMX (or from code) while running: a refused value throws at once. */
    public void setDrainOnShutdown(long millis) {
        setDrainOnShutdown(String.valueOf(millis));
        settings.throwIfRefused("drainOnShutdown");
    }

    public int getLanes() {
        return lanes;
    }

    public void setLanes(String lanes) {
        this.lanes = settings.integer("lanes", lanes, 1, 64, "1..64", this.lanes);
    }

    public int getMaxBatch() {
        return maxBatch;
    }

    public void setMaxBatch(String maxBatch) {
        this.maxBatch = settings.integer("maxBatch", maxBatch, 1, Integer.MAX_VALUE, "at least 1", this.maxBatch);
    }

    @Override
    public void setChannel(Channel channel) {
        channelGiven = true;
        super.setChannel(channel);
    }

    @Override
    public void setManagerTemplate(ClusterManager managerTemplate) {
        managerGiven = true;
        super.setManagerTemplate(managerTemplate);
    }

    // Secure replication (mutual TLS, class allow-list): held and applied by SecureReplication.

    public String getCertificateFile() {
        return secure.getCertificateFile();
    }

    public void setCertificateFile(String file) {
        secure.setCertificateFile(file);
    }

    public String getCertificateKeyFile() {
        return secure.getCertificateKeyFile();
    }

    public void setCertificateKeyFile(String file) {
        secure.setCertificateKeyFile(file);
    }

    public String getCaCertificateFile() {
        return secure.getCaCertificateFile();
    }

    public void setCaCertificateFile(String file) {
        secure.setCaCertificateFile(file);
    }

    /** {@code false}, {@code true} (loopback members only) or {@code trusted-network} (any members). */
    public String getInsecure() {
        return secure.getInsecure();
    }

    public void setInsecure(String insecure) {
        String value = insecure == null ? "" : insecure.strip().toLowerCase(java.util.Locale.ROOT);
        secure.setInsecure(settings.oneOf("insecure", value, PlaintextPolicy.INSECURE_VALUES,
                "true, false or trusted-network", secure.getInsecure()));
    }

    /** The patterns as given (the effective allow-list, defaults included, is SecureReplication's JMX). */
    public String getAllowedClasses() {
        return secure.getOperatorAllowedClasses();
    }

    public void setAllowedClasses(String patterns) {
        settings.parsed("allowedClasses", patterns, text -> {
            secure.setAllowedClasses(text);
            return text;
        }, null);
    }

    public boolean isVerifyPeerRoute() {
        return secure.isVerifyPeerRoute();
    }

    public void setVerifyPeerRoute(String verify) {
        secure.setVerifyPeerRoute(settings.bool("verifyPeerRoute", verify, secure.isVerifyPeerRoute()));
    }

    public int getCertificateExpiryWarningDays() {
        return secure.getCertificateExpiryWarningDays();
    }

    public void setCertificateExpiryWarningDays(String days) {
        secure.setCertificateExpiryWarningDays(settings.integer("certificateExpiryWarningDays", days, 0,
                Integer.MAX_VALUE, "0 or more days", secure.getCertificateExpiryWarningDays()));
    }

    public int getHandshakeTimeout() {
        return secure.getHandshakeTimeout();
    }

    public void setHandshakeTimeout(String millis) {
        secure.setHandshakeTimeout(settings.integer("handshakeTimeout", millis, 100, 600_000, "100..600000 ms",
                secure.getHandshakeTimeout()));
    }

    public int getMaxFrameSize() {
        return secure.getMaxFrameSize();
    }

    public void setMaxFrameSize(String bytes) {
        secure.setMaxFrameSize(settings.integer("maxFrameSize", bytes, SecureReplication.MIN_FRAME_SIZE,
                SecureReplication.MAX_FRAME_SIZE, SecureReplication.MIN_FRAME_SIZE + ".." + SecureReplication.MAX_FRAME_SIZE
                        + " bytes", secure.getMaxFrameSize()));
    }

    SecureReplication secureReplication() {
        return secure;
    }

    // ------------------------------------------------------------- Read-only state (JMX; more in RouteClusterMBean)

    public String getLocalRoute() {
        return localRoute;
    }

    /** The short digest of the settings that every member must share; published in the member payload. */
    public String getSettingsFingerprint() {
        return fingerprint;
    }

    public boolean isDraining() {
        return state.state() == MemberState.DRAINING;
    }

    /** Per-peer counters, described over JMX by {@link RouteClusterMBean}. */
    PeerMetrics peerMetrics() {
        return metrics;
    }

    // ------------------------------------------------------------- This node's state (JMX, valve, shutdown)

    /** Marks this node draining: peers, valves and the balancer see it in the membership payload. */
    public void drain() {
        state.changeState(MemberState.DRAINING);
    }

    /** Back to active; during a shutdown's drain it ends the wait (the node stays draining until it stops). */
    public void activate() {
        state.changeState(MemberState.ACTIVE);
        ShutdownDrain drain = shutdownDrain;
        if (drain != null) {
            drain.cutShort();
        }
    }

    @Override
    public MemberState state() {
        return state.state();
    }

    @Override
    public boolean changeState(MemberState newState) {
        return state.changeState(newState);
    }

    // ------------------------------------------------------------- Lifecycle

    @Override
    protected void startInternal() throws LifecycleException {
        try {
            prepare();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw startFailure(e.getMessage());
        }
        Set<MemberList.Entry> reachable = channelGiven ? Set.of() : StaticChannel.reachablePeers(members, localRoute);
        super.startInternal();
        state.started(channel, localRoute, fingerprint);
        peerCheck.awaitMembers(channel, reachable, PEER_WAIT_MILLIS);
        String peerProblem = peerCheck.checkPeers(channel.getMembers());
        if (peerProblem != null) {
            state.stopped();
            stopChannelQuietly();
            throw startFailure(peerProblem);
        }
        orderedSender = new OrderedSender(getClusterName() + "-replication", lanes, LANE_CAPACITY, maxBatch,
                new LaneTransport(channel, metrics));
        orderedSender.start();
        shutdownDrain = ShutdownDrain.register(Container.getService(getContainer()).getServer(), state,
                this::getDrainOnShutdown, localRoute);
        started = true;
        secure.started(localRoute, members.find(localRoute).map(MemberList.Entry::address).orElse("?"),
                getObjectName());
        log.info(sm.getString("routeCluster.started", localRoute, members.toString(), fingerprint,
                Integer.valueOf(channel.getMembers().length)));
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        started = false;
        secure.stopped();
        if (shutdownDrain != null) {
            shutdownDrain.unregister();
            shutdownDrain = null;
        }
        OrderedSender.stopQuietly(orderedSender);
        orderedSender = null;
        state.stopped();
        super.stopInternal();
    }

    private LifecycleException startFailure(String line) {
        log.error(sm.getString("routeCluster.startFailed", line));
        return new LifecycleException(line);
    }

    private void stopChannelQuietly() {
        try {
            channel.stop(getChannelStartOptions());
        } catch (ChannelException e) {
            log.warn(sm.getString("routeCluster.stopFailed"), e);
        }
        unregisterClusterValve();
    }

    /** Checks the settings and resolves them into members, fingerprint, channel and manager template. */
    private void prepare() {
        String refused = settings.firstProblem();
        if (refused == null && managerTemplate instanceof RouteManager routeManager) {
            refused = routeManager.settingsProblem();
        }
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        members = ClusterSetup.members(membersText);
        localRoute = ClusterSetup.engineRoute(getContainer());
        MemberList.Entry local = ClusterSetup.local(members, localRoute);
        fingerprint = ClusterSetup.fingerprint(members, getLoginAttributes(), replicate);
        peerCheck = new PeerCheck(members, fingerprint);
        if (!channelGiven) {
            StaticChannel.checkBindable(local);
            channel = StaticChannel.build(members, localRoute, state.payload(localRoute, fingerprint));
        }
        Map<InetSocketAddress, String> routes = members.entries().stream().collect(
                Collectors.toMap(e -> new InetSocketAddress(e.host(), e.port()), MemberList.Entry::route));
        secure.configure(channel, channelGiven, local.host(), local.port(), routes);
        if (managerGiven && !(managerTemplate instanceof RouteManager)) {
            secure.refuseUnfiltered("<Manager className=\"" + managerTemplate.getClass().getName() + "\">", routes);
        }
        memberRoutes = routes;
        if (channel instanceof GroupChannel groupChannel) {
            groupChannel.addInterceptor(new MetricsInterceptor(metrics));
        }
        if (!managerGiven) {
            managerTemplate = new RouteManager();
        }
        if (managerTemplate instanceof RouteManager routeManager) {
            routeManager.setLoginAttributeSet(loginAttributes);
            routeManager.setLoginOnly(replicate.equals("login"));
        }
    }

    @Override
    protected void checkDefaults() {
        // Unlike SimpleTcpCluster, a nested valve (say a JvmRouteValve) does not switch replication off: without a
        // ReplicationValve no change would ever be sent. Route rewriting is the JvmRouteValve's job (valve module).
        if (Arrays.stream(getValves()).noneMatch(ReplicationValve.class::isInstance)) {
            addValve(new ReplicationValve());
        }
        super.checkDefaults();
    }

    // ------------------------------------------------------------- Membership and messages

    /**
     * A context's own cluster manager (a {@code <Manager>} in its context.xml) that is not a RouteManager reads
     * peers' session data without the allow-list: it is not registered (its sessions stay local), with one line.
     */
    @Override
    public void registerManager(org.apache.catalina.Manager manager) {
        if (manager instanceof ClusterManager && !(manager instanceof RouteManager)) {
            try {
                secure.refuseUnfiltered("<Manager className=\"" + manager.getClass().getName() + "\"> of context "
                        + (manager.getContext() == null ? "?" : manager.getContext().getName()), memberRoutes);
            } catch (IllegalArgumentException e) {
                log.error(sm.getString("routeCluster.managerRefused", e.getMessage()));
                return;
            }
        }
        super.registerManager(manager);
    }

    @Override
    public void memberAdded(Member member) {
        PeerCheck check = peerCheck;
        if (check != null && started) {
            check.logIfUnsafe(member); // while starting, checkPeers makes the problem the reason the start fails
        }
        super.memberAdded(member);
        if (check != null) {
            check.memberAdded();
        }
    }

    /** Cluster messages as SimpleTcpCluster takes them, and the lanes' frames (byte messages). */
    @Override
    public boolean accept(Serializable msg, Member sender) {
        return super.accept(msg, sender) || LaneTransport.isFrame(msg);
    }

    @Override
    public void messageReceived(Serializable message, Member sender) {
        metrics.of(sender).messagesReceived.increment();
        if (!(message instanceof ByteMessage bytes)) {
            super.messageReceived(message, sender);
            return;
        }
        for (SessionMessage inner : LaneTransport.decode(bytes, sender)) {
            super.messageReceived(inner);
        }
    }

    OrderedSender orderedSender() {
        return orderedSender;
    }
}
