package io.jvmroute.replication;

import java.nio.charset.StandardCharsets;
import org.apache.catalina.Container;
import org.apache.catalina.Engine;
import org.apache.catalina.Service;

/**
 * What {@link RouteCluster} resolves at start from its settings and its Engine: the member list, this node's route
 * and entry in it, and the settings fingerprint its peers compare. Each problem is an
 * {@link IllegalArgumentException} of one line saying what to fix.
 */
final class ClusterSetup {

    private ClusterSetup() {
    }

    static MemberList members(String membersText) {
        if (membersText == null) {
            throw new IllegalArgumentException(
                    "members: not set (expected: members=\"jvm1=host1:4000,jvm2=host2:4000\" on the Cluster)");
        }
        return MemberList.parse(membersText);
    }

    /** The Engine's {@code jvmRoute}; Tomcat finds the Engine ({@link Container#getService}). */
    static String engineRoute(Container container) {
        Service service = Container.getService(container);
        Engine engine = service == null ? null : service.getContainer();
        String route = engine == null ? null : engine.getJvmRoute();
        if (route == null || route.isEmpty()) {
            throw new IllegalArgumentException("the Engine has no jvmRoute (expected: <Engine jvmRoute=\"jvm1\">, "
                    + "the route of this node in members)");
        }
        return route;
    }

    static MemberList.Entry local(MemberList members, String localRoute) {
        return members.find(localRoute).orElseThrow(() -> new IllegalArgumentException(
                "members: the Engine jvmRoute " + localRoute + " is not among " + members
                        + " (expected: the local node's route=host:port in members)"));
    }

    /** The short digest of the settings two members must agree on to replicate to each other. */
    static String fingerprint(MemberList members, String loginAttributes, String replicate) {
        // v2: deltas travel in the compact format (CompactDeltaOutput), which a v1 node cannot read.
        String settings = "v2|" + members + "|login=" + loginAttributes + "|replicate=" + replicate;
        byte[] digest = MemberList.sha256(settings.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            hex.append(String.format("%02x", Integer.valueOf(digest[i] & 0xff)));
        }
        return hex.toString();
    }
}
