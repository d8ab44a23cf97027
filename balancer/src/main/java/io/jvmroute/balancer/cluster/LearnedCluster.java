package io.jvmroute.balancer.cluster;

import io.jvmroute.membership.ClusterReport;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * What the balancer last learnt from the cluster: every member the reachable nodes name (route to member, its
 * state and front addresses), how many sessions each answering node says still point at it, and whether the
 * last reading reached any node. An unreachable cluster keeps the members of the last good reading.
 *
 * @param members        route to member, from the last reading that reached a node
 * @param sessions       route to the sessions its own node said still carry its route (answering nodes only)
 * @param reachable      whether the last reading reached at least one node
 * @param lastGoodMillis wall-clock time of the last reading that reached a node, 0 if none ever did
 * @param problem        why the last reading failed (every node's reason), or the empty string
 */
public record LearnedCluster(Map<String, ClusterReport.Member> members, Map<String, Long> sessions, boolean reachable,
                             long lastGoodMillis, String problem) {

    public static final LearnedCluster NOTHING_YET = new LearnedCluster(Map.of(), Map.of(), false, 0, "not read yet");

    public LearnedCluster {
        members = Collections.unmodifiableMap(new TreeMap<>(members)); // route order: workers join in a stable order
        sessions = Map.copyOf(sessions);
        Objects.requireNonNull(problem, "problem");
    }

    /** The same members, now unreachable for {@code why}. */
    LearnedCluster unreachable(String why) {
        return new LearnedCluster(members, Map.of(), false, lastGoodMillis, why);
    }
}
