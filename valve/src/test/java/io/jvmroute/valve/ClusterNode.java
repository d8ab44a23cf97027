package io.jvmroute.valve;

import io.jvmroute.testsupport.EmbeddedNode;
import java.util.List;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Manager;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.nio.NioReceiver;

/**
 * One embedded Tomcat of a test cluster (an {@link EmbeddedNode} with {@link TestApp}): Engine
 * {@code jvmRoute} = route, HTTP and Tribes on its own loopback address, static membership, stock
 * DeltaManager with synchronous, acknowledged sends ({@code channelSendOptions=6}). The valve sits where
 * {@link Placement} says.
 */
final class ClusterNode {

    /** Where the valve is configured. */
    enum Placement {
        /** In the Engine; the cluster then adds Tomcat's JvmRouteBinderValve, which the valve must switch off. */
        ENGINE,
        /** In the Host; same defaults from the cluster. */
        HOST,
        /** Inside {@code <Cluster>} next to a ReplicationValve (nesting any valve stops the defaults). */
        CLUSTER
    }

    /** Where a node listens. */
    record Address(String route, String ip, int tribesPort) {
    }

    final Address address;
    final JvmRouteValve valve = new JvmRouteValve();
    final TestApp app = new TestApp();
    private final SimpleTcpCluster cluster = new SimpleTcpCluster();
    private final EmbeddedNode node;

    ClusterNode(String clusterName, Address address, List<Address> all, Placement placement) {
        this.address = address;
        // One cluster name for all nodes: static membership only talks to channels of the same name.
        cluster.setClusterName(clusterName);
        cluster.setChannelSendOptions(6);
        DeltaManager template = new DeltaManager();
        template.setStateTransferTimeout(10);
        cluster.setManagerTemplate(template);
        cluster.setChannel(channel(address, all));
        if (placement == Placement.CLUSTER) {
            cluster.addValve(valve);
            cluster.addValve(new ReplicationValve());
        }
        String name = clusterName + "-" + address.route();
        node = EmbeddedNode.builder(address.route(), address.ip()).names(name, name).cluster(cluster)
                .server(tomcat -> {
                    switch (placement) {
                        case ENGINE -> tomcat.getEngine().getPipeline().addValve(valve);
                        case HOST -> tomcat.getHost().getPipeline().addValve(valve);
                        case CLUSTER -> { } // added to the cluster above
                    }
                })
                .app(app::deploy).build();
    }

    private static GroupChannel channel(Address self, List<Address> all) {
        GroupChannel channel = new GroupChannel();
        // The channel's MBeans are keyed by cluster name alone, so nodes in one JVM would clash.
        channel.setJmxEnabled(false);
        NioReceiver receiver = new NioReceiver();
        receiver.setAddress(self.ip());
        receiver.setPort(self.tribesPort());
        receiver.setAutoBind(1);
        channel.setChannelReceiver(receiver);
        StaticMembershipService membership = new StaticMembershipService();
        for (int i = 0; i < all.size(); i++) {
            StaticMember member = new StaticMember();
            member.setHost(all.get(i).ip());
            member.setPort(all.get(i).tribesPort());
            member.setUniqueId("{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0," + (i + 1) + "}");
            membership.addStaticMember(member);
        }
        channel.setMembershipService(membership);
        channel.addInterceptor(new TcpFailureDetector());
        return channel;
    }

    void start() throws LifecycleException {
        node.start();
    }

    /** A graceful stop: the peers see the member leave at once. */
    void stop() throws LifecycleException {
        node.stop();
    }

    /** Stops the node (if still running) and deletes its files. */
    void close() {
        node.close();
    }

    boolean isRunning() {
        return node.isRunning();
    }

    String route() {
        return address.route();
    }

    String baseUrl() {
        return node.baseUrl();
    }

    SimpleTcpCluster cluster() {
        return cluster;
    }

    ClusterView view() {
        return ClusterView.fromMembers(cluster.getMembers());
    }

    Manager manager() {
        return node.manager();
    }
}
