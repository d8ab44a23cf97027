package io.jvmroute.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the balancer learns its workers from the cluster ({@code balancer.cluster*}): the nodes it asks first, the
 * path of their valves' cluster endpoint, the endpoint's token and how often it asks. No seeds: the balancer
 * knows only its configured workers.
 *
 * @param seeds    node addresses ({@code host:port} of their HTTP connectors) asked until members are learnt
 * @param path     the valves' {@code clusterPath}
 * @param token    the valves' {@code clusterToken}, if set
 * @param interval time between two readings of the cluster
 */
public record ClusterSettings(List<HostPort> seeds, String path, Optional<String> token, Duration interval) {

    public static final ClusterSettings NONE = new ClusterSettings(List.of(), "/.jvmroute/cluster", Optional.empty(),
            Duration.ofMillis(500));

    public ClusterSettings {
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(interval, "interval");
    }

    /** Whether the balancer learns workers from a cluster. */
    public boolean enabled() {
        return !seeds.isEmpty();
    }

    /** Parses {@code host:port[,host:port]} as the {@code balancer.cluster} key and the {@code --cluster} flag take it. */
    public static List<HostPort> parseSeeds(String value) {
        return Values.parseList(value).stream().map(v -> HostPort.parse(v, "127.0.0.1")).toList();
    }
}
