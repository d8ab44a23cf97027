package io.jvmroute.replication.secure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelInterceptor;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.util.res.StringManager;

/**
 * Secure replication for {@code RouteCluster}: mutual TLS between the nodes and a class allow-list before
 * anything received is deserialized. {@code RouteCluster} forwards its attributes here:
 *
 * <pre>
 * &lt;Cluster className="io.jvmroute.replication.RouteCluster" members="jvm1=10.0.0.1:4000,jvm2=10.0.0.2:4000"
 *          certificateFile="${catalina.base}/conf/jvmroute/jvm1.crt"
 *          certificateKeyFile="${catalina.base}/conf/jvmroute/jvm1.key"
 *          caCertificateFile="${catalina.base}/conf/jvmroute/ca.crt"
 *          allowedClasses="org.apache.cloudstack.**"/&gt;
 * </pre>
 *
 * <ul>
 *   <li>{@code certificateFile}, {@code certificateKeyFile}, {@code caCertificateFile}: PEM files as
 *       {@code jvmroute tls init} writes them (a relative path is relative to {@code catalina.base}). With them,
 *       replication and membership pings travel over TLS 1.3 with client certificates ({@link TlsReceiver},
 *       {@link TlsSender}).</li>
 *   <li>{@code insecure="true"} (every member on loopback) or {@code insecure="trusted-network"} (any members):
 *       plaintext (Tomcat's NIO transport), with a warning at every start. Neither setting: the start fails with
 *       one line naming both. Both: the start fails too.</li>
 *   <li>{@code verifyPeerRoute} (default {@code true}): a peer's certificate must name (URI SAN {@code jvmroute:route:<route>}) the route
 *       that {@code members} lists at its address.</li>
 *   <li>{@code allowedClasses}: patterns added to {@link ClassAllowList#DEFAULTS}; applies to both transports.</li>
 *   <li>{@code certificateExpiryWarningDays} (default 30): warn at start, and over JMX, that this node's
 *       certificate or the CA expires within that many days; and once per certificate when a peer connects
 *       with one that does.</li>
 * </ul>
 * A nested {@code <Channel>} keeps its own transport: only the allow-list applies, if it is a
 * {@link FilteringGroupChannel}.
 */
public final class SecureReplication {

    private static final Log log = LogFactory.getLog(SecureReplication.class);
    private static final StringManager sm = StringManager.getManager(SecureReplication.class);

    private String certificateFile;
    private String certificateKeyFile;
    private String caCertificateFile;

    private String insecure = "false";
    private String allowedClasses;
    private ClassAllowList allowList = ClassAllowList.of(null);
    private boolean verifyPeerRoute = true;
    private int certificateExpiryWarningDays = 30;
    private int maxFrameSize = FrameExchange.DEFAULT_MAX_FRAME_BYTES;
    private int handshakeTimeout = PeerHandshake.DEFAULT_TIMEOUT_MILLIS;
    /** The range of {@code maxFrameSize}: a frame must hold at least one ordinary session. */
    public static final int MIN_FRAME_SIZE = 64 * 1024;
    public static final int MAX_FRAME_SIZE = Integer.MAX_VALUE - 64;

    private final SecurityMetrics metrics = new SecurityMetrics();
    private volatile ReceiveGuard guard;
    private volatile ClusterTls tls;
    private volatile String transport = "not started";
    private ObjectName objectName;

    // ------------------------------------------------------------- Settings (from RouteCluster's setters)

    public void setCertificateFile(String file) {
        this.certificateFile = blankToNull(file);
    }

    public void setCertificateKeyFile(String file) {
        this.certificateKeyFile = blankToNull(file);
    }

    public void setCaCertificateFile(String file) {
        this.caCertificateFile = blankToNull(file);
    }

    /** One of {@link PlaintextPolicy#INSECURE_VALUES}: RouteCluster checks the attribute before it gets here. */
    public void setInsecure(String insecure) {
        this.insecure = insecure;
    }

    /** Comma-separated patterns; a malformed one is refused here, naming it. */
    public void setAllowedClasses(String patterns) {
        this.allowList = ClassAllowList.of(patterns);
        this.allowedClasses = patterns;
    }

    public void setVerifyPeerRoute(boolean verify) {
        this.verifyPeerRoute = verify;
    }

    /** Days, 0 or more: RouteCluster checks the attribute before it gets here. */
    public void setCertificateExpiryWarningDays(int days) {
        this.certificateExpiryWarningDays = days;
    }

    /** Milliseconds for a whole TLS handshake: RouteCluster checks the attribute. */
    public void setHandshakeTimeout(int millis) {
        this.handshakeTimeout = millis;
    }

    public int getHandshakeTimeout() {
        return handshakeTimeout;
    }

    /** Bytes, {@link #MIN_FRAME_SIZE}..{@link #MAX_FRAME_SIZE}: RouteCluster checks the attribute. */
    public void setMaxFrameSize(int bytes) {
        this.maxFrameSize = bytes;
    }

    public int getMaxFrameSize() {
        return maxFrameSize;
    }

    public String getCertificateFile() {
        return certificateFile;
    }

    public String getCertificateKeyFile() {
        return certificateKeyFile;
    }

    public String getCaCertificateFile() {
        return caCertificateFile;
    }

    public String getInsecure() {
        return insecure;
    }

    private boolean plaintext() {
        return !insecure.equals("false");
    }

    // ------------------------------------------------------------- Wiring

    /**
     * Chooses the transport before the channel starts; throws one {@link IllegalArgumentException} line for a
     * misconfiguration.
     *
     * @param channel      the cluster's channel
     * @param channelGiven whether the operator nested a {@code <Channel>} (its transport is kept)
     * @param host         this node's receiver address, as in {@code members}
     * @param port         this node's receiver port
     * @param routes       every member's resolved receiver address and route
     */
    public void configure(Channel channel, boolean channelGiven, String host, int port,
            Map<InetSocketAddress, String> routes) {
        guard = new ReceiveGuard(allowList, metrics);
        if (channel instanceof FilteringGroupChannel filtering) {
            filtering.setReceiveGuard(guard);
        }
        tls = null;
        boolean tlsGiven = certificateFile != null || certificateKeyFile != null || caCertificateFile != null;
        if (channelGiven) {
            if (tlsGiven) {
                throw new IllegalArgumentException("certificateFile/certificateKeyFile/caCertificateFile are set but a "
                        + "nested <Channel> brings its own transport (expected: one of them; the TLS transport needs "
                        + "RouteCluster's own channel)");
            }
            if (!(channel instanceof FilteringGroupChannel)) {
                refuseUnfiltered("a nested <Channel className=\"" + channel.getClass().getName() + "\">", routes);
            }
            transport = "given by the nested Channel";
            return;
        }
        if (plaintext() && tlsGiven) {
            throw new IllegalArgumentException("insecure=\"true\" and certificateFile/certificateKeyFile/"
                    + "caCertificateFile are both set (expected: the certificate files for TLS, or insecure=\"true\", not both)");
        }
        if (plaintext()) {
            PlaintextPolicy.checkAllowed(insecure, routes);
            transport = "insecure (plaintext, " + (insecure.equals(PlaintextPolicy.TRUSTED_NETWORK) ? "trusted-network"
                    : "loopback") + ")";
            return;
        }
        if (!tlsGiven) {
            throw new IllegalArgumentException("replication transport not secured (expected: certificateFile, "
                    + "certificateKeyFile and caCertificateFile from `jvmroute tls init` for mutual TLS, "
                    + "or insecure=\"true\" for plaintext replication)");
        }
        ClusterTls loaded = ClusterTls.load(path("certificateFile", certificateFile),
                path("certificateKeyFile", certificateKeyFile), path("caCertificateFile", caCertificateFile),
                new PeerRoutes(routes), verifyPeerRoute);
        GroupChannel group = (GroupChannel) channel;
        TlsReceiver receiver = new TlsReceiver(loaded, metrics, host, port, verifyPeerRoute);
        receiver.setPeerExpiryWarningDays(certificateExpiryWarningDays);
        receiver.setMaxFrameBytes(maxFrameSize);
        receiver.setHandshakeTimeoutMillis(handshakeTimeout);
        group.setChannelReceiver(receiver);
        try {
            group.setChannelSender(new TlsSender(loaded, metrics, InetAddress.getByName(host)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("members: cannot resolve " + host + " (" + e.getMessage() + ")");
        }
        for (ChannelInterceptor i = group.getFirstInterceptor(); i != null; i = i.getNext()) {
            if (i instanceof TcpFailureDetector detector) {
                // Its send test writes a plaintext frame to the peer's port: only the connect test works with TLS.
                detector.setPerformSendTest(false);
            }
        }
        tls = loaded;
        transport = "mutual TLS 1.3" + (verifyPeerRoute ? ", peers pinned to their routes" : "");
    }

    /**
     * Refuses a component that reads peers' data without the allow-list ({@link PlaintextPolicy#refuseUnfiltered}).
     *
     * @throws IllegalArgumentException one line naming the component
     */
    public void refuseUnfiltered(String component, Map<InetSocketAddress, String> routes) {
        PlaintextPolicy.refuseUnfiltered(insecure, component, routes);
    }

    /** Logs how replication is secured (a warning every start if it is not) and registers the MBean. */
    public void started(String localRoute, String address, ObjectName clusterName) {
        if (plaintext()) {
            log.warn(sm.getString("secureReplication.insecure", localRoute, address, insecure));
        } else if (tls == null) {
            log.warn(sm.getString("secureReplication.channelGiven", localRoute));
        } else {
            log.info(sm.getString("secureReplication.tls", localRoute, address, transport,
                    tls.certificate().getSubjectX500Principal().getName()));
            for (String warning : tls.expiryWarnings(Instant.now(), certificateExpiryWarningDays)) {
                log.warn(sm.getString("secureReplication.expiry", localRoute, warning));
            }
        }
        if (clusterName != null) {
            try {
                objectName = new ObjectName(clusterName + ",component=SecureReplication");
                Registry.getRegistry(null, null).registerComponent(this, objectName, null);
            } catch (Exception e) {
                log.warn(sm.getString("secureReplication.jmxFailed", String.valueOf(objectName)), e);
                objectName = null;
            }
        }
    }

    public void stopped() {
        if (objectName != null) {
            Registry.getRegistry(null, null).unregisterComponent(objectName);
            objectName = null;
        }
    }

    /** Filters every stream the managers read; {@code null} before {@link #configure}. */
    public ReceiveGuard guard() {
        return guard;
    }

    public SecurityMetrics metrics() {
        return metrics;
    }

    private static Path path(String attribute, String value) {
        if (value == null) {
            throw new IllegalArgumentException(attribute + ": not set (expected: the PEM files certificateFile, "
                    + "certificateKeyFile and caCertificateFile together)");
        }
        Path path = Path.of(value);
        String base = System.getProperty("catalina.base");
        return path.isAbsolute() || base == null ? path : Path.of(base).resolve(path);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    // ------------------------------------------------------------- JMX (mbeans-descriptors.xml)

    public String getTransport() {
        return transport;
    }

    public String getAllowedClasses() {
        return allowList.toString();
    }

    public String getOperatorAllowedClasses() {
        return allowedClasses;
    }

    /** Days until this node's certificate expires; -1 without TLS. */
    public long getCertificateExpiresInDays() {
        ClusterTls current = tls;
        return current == null ? -1 : current.certificateExpiresInDays(Instant.now());
    }

    public long getCaCertificateExpiresInDays() {
        ClusterTls current = tls;
        return current == null ? -1 : current.caExpiresInDays(Instant.now());
    }

    /** True while this node's certificate or the CA expires within {@code certificateExpiryWarningDays}. */
    public boolean isCertificateExpiryWarning() {
        ClusterTls current = tls;
        return current != null && !current.expiryWarnings(Instant.now(), certificateExpiryWarningDays).isEmpty();
    }

    public int getCertificateExpiryWarningDays() {
        return certificateExpiryWarningDays;
    }

    public boolean isVerifyPeerRoute() {
        return verifyPeerRoute;
    }

    public long getHandshakesSucceeded() {
        return metrics.getHandshakesSucceeded();
    }

    public long getHandshakesFailed() {
        return metrics.getHandshakesFailed();
    }

    public String[] getHandshakesByPeer() {
        return metrics.describeHandshakes();
    }

    public long getRejectedClasses() {
        return metrics.getRejectedClasses();
    }

    public long getFilterLimitsHit() {
        return metrics.getFilterLimitsHit();
    }
}
