package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import io.jvmroute.membership.MemberState;
import io.jvmroute.replication.secure.SecureReplication;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Container;
import org.apache.catalina.Engine;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.Server;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.DeltaSession;
import org.apache.catalina.ha.session.SessionMessage;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.Session;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.RemoteProcessException;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.membership.MemberImpl;
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
 * At start it fills in what {@link SimpleTcpCluster} would need some forty lines for:
 * <ul>
 *   <li>the local member is the one whose route is the Engine's {@code jvmRoute}; its receiver binds to that
 *       member's address and port, nothing else;</li>
 *   <li>static membership (no multicast), Tribes unique ids derived from the routes, and every member
 *       publishes {@link MemberPayload} (route, active/draining, settings fingerprint) for the valve and the
 *       balancer;</li>
 *   <li>a {@link RouteManager} template, a {@link ReplicationValve}, the session listener.</li>
 * </ul>
 * A nested {@code <Channel>}, {@code <Manager>}, {@code <Valve>} or listener replaces the corresponding default.
 * Each misconfiguration stops the start with one line saying what to fix.
 *
 * <p>Attributes (each documented on its setter): {@code members} (required), {@code loginAttributes} (none),
 * {@code replicate} ({@code all} | {@code login}), {@code drainOnShutdown} (3000 ms), {@code lanes} (1),
 * {@code maxBatch} (64), and those of {@link SimpleTcpCluster}. Transport security (one of the two is required):
 * {@code certificateFile}, {@code certificateKeyFile}, {@code caCertificateFile} (mutual TLS, from
 * {@code jvmroute tls init}) or {@code insecure="true"}; also {@code allowedClasses}, {@code verifyPeerRoute}
 * (true), {@code certificateExpiryWarningDays} (30) — documented on {@link SecureReplication}. {@code members}, {@code loginAttributes} and
 * {@code replicate} must be the same on every member: they make up the settings fingerprint, and a node whose
 * peers publish another fingerprint refuses to start. Per-context settings ({@code ackTimeout},
 * {@code stateTransferRetries}) are on {@link RouteManager}, set through a nested
 * {@code <Manager className="io.jvmroute.replication.RouteManager" .../>}.
 *
 * <p>Draining: the JMX operation {@code drain} (and a normal shutdown, for {@code drainOnShutdown} ms first)
 * publishes the state {@code draining} in this member's payload; peers see it at their next ping (1 s). The
 * local member's payload ({@code getLocalMember().getPayload()}) is what a valve reads for this node's state.
 */
public class RouteCluster extends SimpleTcpCluster {

    private static final Log log = LogFactory.getLog(RouteCluster.class);
    private static final StringManager sm = StringManager.getManager(RouteCluster.class);

    /** Peers must apply a message before acknowledging it: the lanes' ordering relies on it. */
    static final int ORDERED_SEND_OPTIONS = Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK;

    // Settings (bean properties set by the Digester)
    private String membersText;
    private Set<String> loginAttributes = Set.of();
    private String replicate = "all";
    private long drainOnShutdownMillis = 3_000;
    // One lane: a frame then carries everything queued during the previous frame's round trip, and the
    // per-frame cost (wake-ups, syscalls, the ack) is what a CPU-bound node runs out of first (README, cost).
    private int lanes = 1;
    private int laneCapacity = 10_000;
    private int maxBatch = 64;
    private boolean channelGiven;
    private boolean managerGiven;

    // Resolved at start
    private MemberList members;
    private String localRoute;
    private String fingerprint;
    private volatile MemberState state = MemberState.ACTIVE;
    private volatile OrderedSender orderedSender;
    private final PeerMetrics metrics = new PeerMetrics();
    private final SecureReplication secure = new SecureReplication();
    private Server server;
    private final LifecycleListener drainOnShutdown = this::drainBeforeServerStops;
    private volatile CountDownLatch drainCutShort = new CountDownLatch(1);
    private volatile boolean started;
    private final Object membershipChanged = new Object();
    private static final long PEER_WAIT_MILLIS = 5_000;

    public RouteCluster() {
        // State transfer and other unordered messages: acknowledged, never the lossy asynchronous default.
        setChannelSendOptions(ORDERED_SEND_OPTIONS);
    }

    // ------------------------------------------------------------- Properties

    /** The {@code members} attribute as given (the getter {@code getMembers()} is Tomcat's member array). */
    public String getMemberList() {
        return membersText;
    }

    /** {@code route=host:port,...}: every member of the cluster, this one included. Checked at start. */
    public void setMembers(String members) {
        this.membersText = members;
    }

    public String getLoginAttributes() {
        return String.join(",", new TreeSet<>(loginAttributes));
    }

    /**
     * Session attributes whose change is a login: replicated and acknowledged by the peers before the response
     * is sent, like the principal and the auth type.
     */
    public void setLoginAttributes(String names) {
        Set<String> parsed = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                parsed.add(name.strip());
            }
        }
        this.loginAttributes = Set.copyOf(parsed);
    }

    public String getReplicate() {
        return replicate;
    }

    /**
     * {@code all} (default): every session is replicated from its creation. {@code login}: a session stays on its
     * node until it logs in; the login sends the whole session, and from then on it replicates as usual. Checked
     * at start (the Digester would only log a setter's exception and go on with the default).
     */
    public void setReplicate(String replicate) {
        this.replicate = replicate;
    }

    public long getDrainOnShutdown() {
        return drainOnShutdownMillis;
    }

    /** Milliseconds a normal shutdown spends draining (published, still serving) before it stops; 0: none. */
    public void setDrainOnShutdown(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("drainOnShutdown: " + millis + " (expected: 0 or more ms)");
        }
        this.drainOnShutdownMillis = millis;
    }

    public int getLanes() {
        return lanes;
    }

    /**
     * Number of ordered replication lanes (threads, one frame in flight each); a session always uses the same
     * one. More lanes send smaller frames in parallel: worth it only when sessions are large (one does not hold up
     * the others) or the round trip is long; on a busy node they cost throughput.
     */
    public void setLanes(int lanes) {
        if (lanes < 1 || lanes > 64) {
            throw new IllegalArgumentException("lanes: " + lanes + " (expected: 1..64)");
        }
        this.lanes = lanes;
    }

    public int getMaxBatch() {
        return maxBatch;
    }

    /** Most messages a lane sends in one Tribes frame. */
    public void setMaxBatch(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: at least 1)");
        }
        this.maxBatch = maxBatch;
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

    // Secure replication (mutual TLS, class allow-list): documented in SecureReplication, which holds them.

    public void setCertificateFile(String file) {
        secure.setCertificateFile(file);
    }

    public void setCertificateKeyFile(String file) {
        secure.setCertificateKeyFile(file);
    }

    public void setCaCertificateFile(String file) {
        secure.setCaCertificateFile(file);
    }

    public void setInsecure(boolean insecure) {
        secure.setInsecure(insecure);
    }

    public void setAllowedClasses(String patterns) {
        secure.setAllowedClasses(patterns);
    }

    public void setVerifyPeerRoute(boolean verify) {
        secure.setVerifyPeerRoute(verify);
    }

    public void setCertificateExpiryWarningDays(int days) {
        secure.setCertificateExpiryWarningDays(days);
    }

    SecureReplication secureReplication() {
        return secure;
    }

    // ------------------------------------------------------------- Read-only state (JMX)

    public String getLocalRoute() {
        return localRoute;
    }

    /** The short digest of the settings that every member must share; published in the member payload. */
    public String getSettingsFingerprint() {
        return fingerprint;
    }

    public boolean isDraining() {
        return state == MemberState.DRAINING;
    }

    /** Messages queued in the lanes, not yet sent to the peers (the batch in flight is not counted). */
    public int getReplicationLag() {
        OrderedSender sender = orderedSender;
        return sender == null ? 0 : sender.queued();
    }

    /** How long the oldest message not yet sent to the peers has waited, in ms. */
    public long getReplicationLagMillis() {
        OrderedSender sender = orderedSender;
        return sender == null ? 0 : sender.oldestQueuedMillis();
    }

    public int getSessionsPrimary() {
        return countSessions(true);
    }

    public int getSessionsBackup() {
        return countSessions(false);
    }

    public String[] getPeerMetrics() {
        return metrics.describe(channel.getMembers()).toArray(new String[0]);
    }

    private int countSessions(boolean primary) {
        int count = 0;
        for (ClusterManager manager : getManagers().values()) {
            for (Session session : manager.findSessions()) {
                if (session instanceof DeltaSession delta && delta.isPrimarySession() == primary) {
                    count++;
                }
            }
        }
        return count;
    }

    // ------------------------------------------------------------- Operations (JMX)

    /** Marks this node draining: peers, valves and the balancer see it in the membership payload. */
    public void drain() {
        setState(MemberState.DRAINING);
    }

    /** Back to active; during a shutdown's drain it ends the wait (the node stays draining until it stops). */
    public void activate() {
        setState(MemberState.ACTIVE);
        drainCutShort.countDown();
    }

    private void setState(MemberState newState) {
        this.state = newState;
        if (fingerprint != null) {
            publishPayload();
            log.info(sm.getString("routeCluster.state", localRoute, newState.name().toLowerCase(Locale.ROOT)));
        }
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
        publishPayload();
        awaitMembers(reachable, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PEER_WAIT_MILLIS));
        String peerProblem = checkPeers(channel.getMembers());
        if (peerProblem != null) {
            stopChannelQuietly();
            throw startFailure(peerProblem);
        }
        orderedSender = new OrderedSender(getClusterName() + "-replication", lanes, laneCapacity, maxBatch,
                this::sendAndAwaitAck);
        orderedSender.start();
        server = Container.getService(getContainer()).getServer();
        server.addLifecycleListener(drainOnShutdown);
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
        if (server != null) {
            server.removeLifecycleListener(drainOnShutdown);
            server = null;
        }
        OrderedSender sender = orderedSender;
        if (sender != null) {
            try {
                sender.stop(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            orderedSender = null;
        }
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

    /** Resolves the settings into members, fingerprint, channel and manager template; throws one line. */
    private void prepare() {
        if (membersText == null) {
            throw new IllegalArgumentException(
                    "members: not set (expected: members=\"jvm1=host1:4000,jvm2=host2:4000\" on the Cluster)");
        }
        if (!replicate.equals("all") && !replicate.equals("login")) {
            throw new IllegalArgumentException("replicate: " + replicate + " (expected: all or login)");
        }
        members = MemberList.parse(membersText);
        localRoute = engineRoute();
        MemberList.Entry local = members.find(localRoute).orElseThrow(() -> new IllegalArgumentException(
                "members: the Engine jvmRoute " + localRoute + " is not among " + members
                        + " (expected: the local node's route=host:port in members)"));
        fingerprint = fingerprint();
        if (!channelGiven) {
            StaticChannel.checkBindable(local);
            channel = StaticChannel.build(members, localRoute, payload().encode());
        }
        secure.configure(channel, channelGiven, local.host(), local.port(), members.entries().stream().collect(
                java.util.stream.Collectors.toMap(e -> new java.net.InetSocketAddress(e.host(), e.port()),
                        MemberList.Entry::route)));
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

    private String engineRoute() {
        Container container = getContainer();
        while (container != null && !(container instanceof Engine)) {
            container = container.getParent();
        }
        String route = container == null ? null : ((Engine) container).getJvmRoute();
        if (route == null || route.isEmpty()) {
            throw new IllegalArgumentException("the Engine has no jvmRoute (expected: <Engine jvmRoute=\"jvm1\">, "
                    + "the route of this node in members)");
        }
        return route;
    }

    /** The settings two members must agree on to replicate to each other. */
    private String fingerprint() {
        // v2: deltas travel in the compact format (CompactDeltaOutput), which a v1 node cannot read.
        String settings = "v2|" + members + "|login=" + getLoginAttributes() + "|replicate=" + getReplicate();
        byte[] digest = MemberList.sha256(settings.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            hex.append(String.format("%02x", Integer.valueOf(digest[i] & 0xff)));
        }
        return hex.toString();
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

    // ------------------------------------------------------------- Membership

    private MemberPayload payload() {
        return new MemberPayload(localRoute, state, fingerprint);
    }

    private void publishPayload() {
        byte[] bytes = payload().encode();
        Member local = channel.getLocalMember(false);
        if (local instanceof MemberImpl impl) {
            impl.setPayload(bytes);
        }
        if (channel instanceof GroupChannel groupChannel) {
            // Multicast membership sends what the service holds; StaticMembershipService ignores this.
            groupChannel.getMembershipService().setPayload(bytes);
        }
    }

    /**
     * Waits until the channel lists every reachable peer, signalled by {@link #memberAdded}. Tribes reports members
     * on another thread (and Tomcat 10.1.49's RpcChannel does not even wait for the membership replies), so
     * without this the peer check and the managers' state transfer would see an empty cluster and skip.
     */
    private void awaitMembers(Set<MemberList.Entry> expected, long deadlineNanos) {
        synchronized (membershipChanged) {
            while (!listsAll(expected)) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    log.warn(sm.getString("routeCluster.peersMissing", expected.toString(),
                            Integer.valueOf(channel.getMembers().length)));
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(membershipChanged, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean listsAll(Set<MemberList.Entry> expected) {
        Member[] current = channel.getMembers();
        for (MemberList.Entry entry : expected) {
            if (Arrays.stream(current).noneMatch(m -> Arrays.equals(m.getUniqueId(), entry.uniqueId()))) {
                return false;
            }
        }
        return true;
    }

    /** The first problem with the given peers, as one line, or {@code null}. */
    private String checkPeers(Member[] peers) {
        for (Member peer : peers) {
            String problem = checkPeer(peer);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private String checkPeer(Member peer) {
        MemberPayload.Decoded decoded = MemberPayload.decode(peer.getPayload());
        String address = PeerMetrics.addressOf(peer);
        if (!decoded.isOk()) {
            return "peer " + address + " publishes no jvmroute member payload (" + decoded.problem()
                    + "); expected: a RouteCluster with the same members";
        }
        MemberPayload payload = decoded.payloadOrNull();
        List<MemberList.Entry> expected = members.entries();
        boolean listed = expected.stream().anyMatch(e -> e.route().equals(payload.route()) && Arrays.equals(
                e.uniqueId(), peer.getUniqueId()));
        if (!listed) {
            return "peer " + address + " has route " + payload.route() + " which members " + members
                    + " does not list at that address";
        }
        if (!payload.fingerprint().equals(fingerprint)) {
            return "peer " + payload.route() + " at " + address + " has settings fingerprint " + payload.fingerprint()
                    + ", this node " + fingerprint + " (expected: the same members, loginAttributes and replicate on every node)";
        }
        return null;
    }

    @Override
    public void memberAdded(Member member) {
        // While starting, checkPeers reports the problem as the reason the start fails.
        String problem = started ? checkPeer(member) : null;
        if (problem != null) {
            log.error(sm.getString("routeCluster.badPeer", problem));
        }
        super.memberAdded(member);
        synchronized (membershipChanged) {
            membershipChanged.notifyAll();
        }
    }

    // ------------------------------------------------------------- Messages

    /** The lanes' transport: one frame to every member, returning once all have applied it. */
    private void sendAndAwaitAck(List<SessionMessage> batch) throws ChannelException {
        Member[] destinations = channel.getMembers();
        if (destinations.length == 0) {
            return; // nobody to lose it to: a joining member gets the session by state transfer
        }
        ByteMessage frame = new ByteMessage(LaneFrame.encode(batch));
        long start = System.nanoTime();
        try {
            channel.send(destinations, frame, ORDERED_SEND_OPTIONS | Channel.SEND_OPTIONS_BYTE_MESSAGE);
        } catch (ChannelException e) {
            Set<Member> faulty = new HashSet<>();
            for (ChannelException.FaultyMember failed : e.getFaultyMembers()) {
                faulty.add(failed.getMember());
                metrics.of(failed.getMember()).sendFailures.increment();
            }
            recordAcks(destinations, faulty, batch.size(), System.nanoTime() - start);
            throw e;
        }
        recordAcks(destinations, Set.of(), batch.size(), System.nanoTime() - start);
    }

    private void recordAcks(Member[] destinations, Set<Member> faulty, int messages, long nanos) {
        for (Member member : destinations) {
            if (!faulty.contains(member)) {
                metrics.acked(member, messages, nanos);
            }
        }
    }

    /** Cluster messages as SimpleTcpCluster takes them, and the lanes' frames (byte messages). */
    @Override
    public boolean accept(Serializable msg, Member sender) {
        return super.accept(msg, sender) || msg instanceof ByteMessage bytes && LaneFrame.isFrame(bytes.getMessage());
    }

    @Override
    public void messageReceived(Serializable message, Member sender) {
        metrics.of(sender).messagesReceived.increment();
        if (!(message instanceof ByteMessage bytes)) {
            super.messageReceived(message, sender);
            return;
        }
        List<SessionMessage> messages;
        try {
            messages = LaneFrame.decode(bytes.getMessage());
        } catch (IOException e) {
            // Nothing of it applied; the failed acknowledgement tells the sender this member does not have it.
            log.error(sm.getString("routeCluster.badFrame", PeerMetrics.nameOf(sender), PeerMetrics.addressOf(sender),
                    e.getMessage()));
            throw new RemoteProcessException(e.getMessage());
        }
        for (SessionMessage inner : messages) {
            inner.setAddress(sender);
            super.messageReceived(inner);
        }
    }

    OrderedSender orderedSender() {
        return orderedSender;
    }

    // ------------------------------------------------------------- Drain on shutdown

    private void drainBeforeServerStops(LifecycleEvent event) {
        if (!Lifecycle.BEFORE_STOP_EVENT.equals(event.getType()) || drainOnShutdownMillis == 0) {
            return;
        }
        drainCutShort = new CountDownLatch(1);
        drain();
        log.info(sm.getString("routeCluster.drainOnShutdown", localRoute, Long.valueOf(drainOnShutdownMillis)));
        try {
            // Peers and the balancer see "draining" at the next ping and move users while we still serve them.
            drainCutShort.await(drainOnShutdownMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!isDraining()) {
            drain(); // activate() only ended the wait: a stopping node must not look active to the balancer
        }
    }
}
