package io.jvmroute.replication.secure;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When replication may do without TLS or without the class allow-list. Plaintext lets anyone who reaches the port
 * read sessions and plant a logged-in one (the principal classes are allowed), so {@code insecure="true"} is for
 * members on loopback only (tests, a demo on one machine); between machines the operator must say
 * {@code insecure="trusted-network"}. Components that read peers' data without the allow-list are allowed only
 * on such a loopback cluster, where tests compare with stock Tomcat.
 */
public final class PlaintextPolicy {

    /** The {@code insecure} value that acknowledges plaintext replication between machines. */
    public static final String TRUSTED_NETWORK = "trusted-network";
    /** The accepted values of {@code insecure}: no, plaintext on loopback only, or anywhere once acknowledged. */
    public static final Set<String> INSECURE_VALUES = Set.of("false", "true", TRUSTED_NETWORK);

    private PlaintextPolicy() {
    }

    /**
     * @param insecure the {@code insecure} setting, one of {@link #INSECURE_VALUES} but not {@code false}
     * @throws IllegalArgumentException one line, when {@code true} is given for members off loopback
     */
    static void checkAllowed(String insecure, Map<InetSocketAddress, String> routes) {
        if (insecure.equals(TRUSTED_NETWORK)) {
            return;
        }
        List<String> remote = routes.entrySet().stream()
                .filter(e -> e.getKey().getAddress() == null || !e.getKey().getAddress().isLoopbackAddress())
                .map(e -> e.getValue() + "=" + e.getKey().getHostString() + ":" + e.getKey().getPort())
                .sorted().toList();
        if (!remote.isEmpty()) {
            throw new IllegalArgumentException("insecure=\"true\" but members " + remote + " are not on loopback "
                    + "(expected: certificateFile, certificateKeyFile and caCertificateFile from `jvmroute tls init`; "
                    + "or insecure=\"trusted-network\" to accept that anyone who reaches the replication port can "
                    + "plant a logged-in session)");
        }
    }

    /**
     * Refuses a component that deserializes what peers send without the allow-list (a nested {@code <Channel>}
     * that is not a {@link FilteringGroupChannel}, a {@code DeltaManager} or {@code BackupManager}): anyone who can
     * send to the port could run code with a gadget chain.
     *
     * @throws IllegalArgumentException one line naming the component, unless the cluster is plaintext on loopback
     */
    static void refuseUnfiltered(String insecure, String component, Map<InetSocketAddress, String> routes) {
        if (insecure.equals("true")) {
            checkAllowed(insecure, routes);
            return;
        }
        throw new IllegalArgumentException(component + " deserializes what peers send without the class allow-list "
                + "(expected: RouteCluster's own channel and io.jvmroute.replication.RouteManager; only a plaintext "
                + "cluster on loopback, insecure=\"true\", may use stock components)");
    }
}
