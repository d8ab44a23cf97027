package io.jvmroute.replication;

import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.DeltaSession;
import org.apache.tomcat.util.modeler.BaseModelMBean;

/**
 * The cluster's MBean (named by {@code mbeans-descriptors.xml}, as Tomcat's own {@code *MBean} classes are): what
 * an operator watches of replication, computed from the {@link RouteCluster} it manages. The cluster's settings,
 * state and operations are read from the cluster itself.
 */
public class RouteClusterMBean extends BaseModelMBean {

    private RouteCluster cluster() {
        return (RouteCluster) resource;
    }

    /** Messages queued in the lanes, not yet sent to the peers (the batch in flight is not counted). */
    public int getReplicationLag() {
        OrderedSender sender = cluster().orderedSender();
        return sender == null ? 0 : sender.queued();
    }

    /** How long the oldest message not yet sent to the peers has waited, in ms. */
    public long getReplicationLagMillis() {
        OrderedSender sender = cluster().orderedSender();
        return sender == null ? 0 : sender.oldestQueuedMillis();
    }

    /** Messages whose replication failed since the start (each also logged, at most once a minute). */
    public long getMessagesNotReplicated() {
        OrderedSender sender = cluster().orderedSender();
        return sender == null ? 0 : sender.messagesNotReplicated();
    }

    /** Sessions last used on this member. */
    public int getSessionsPrimary() {
        return countSessions(true);
    }

    /** Sessions held as a backup of another member. */
    public int getSessionsBackup() {
        return countSessions(false);
    }

    /** Per peer: state, messages and bytes sent and received, acks, ack latency. */
    public String[] getPeerMetrics() {
        return cluster().peerMetrics().describe(cluster().getChannel().getMembers()).toArray(new String[0]);
    }

    private int countSessions(boolean primary) {
        int count = 0;
        for (ClusterManager manager : cluster().getManagers().values()) {
            for (Session session : manager.findSessions()) {
                if (session instanceof DeltaSession delta && delta.isPrimarySession() == primary) {
                    count++;
                }
            }
        }
        return count;
    }
}
