package io.jvmroute.deploy.harness;

import com.github.dockerjava.api.model.Network.Ipam;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.containers.Network;

/**
 * A deployed cluster: its own Docker network (a /24 of 10.213.0.0/16), {@code n} Tomcat nodes on .11, .12, …
 * and its balancers on .20 (jvmroute), .21 (Apache + mod_jk), .22 (HAProxy), each on a host of its own.
 * Shared by the scenarios of a run; {@link #ensureHealthy} puts it back to "every node up, linked and in
 * rotation" before each scenario, so that scenarios stay independent of each other's faults.
 */
public final class DeployedCluster implements AutoCloseable {

    private static final Map<Front, Integer> FRONT_HOST = Map.of(Front.JVMROUTE, 20, Front.APACHE_MOD_JK, 21, Front.HAPROXY, 22);

    private final Labels labels;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, NodeContainer> nodes = new LinkedHashMap<>();
    private final Map<Front, FrontContainer> fronts = new EnumMap<>(Front.class);
    private Network network;
    private String subnetPrefix;
    private DeploymentFiles files;

    private DeployedCluster(Labels labels) {
        this.labels = labels;
    }

    public static DeployedCluster start(String name, int nodeCount, Front... frontsWanted) throws IOException {
        Engine engine = Engine.get();
        DeployedCluster cluster = new DeployedCluster(Labels.of(name));
        try {
            long began = System.nanoTime();
            cluster.startAll(engine, name, nodeCount, List.of(frontsWanted));
            ScenarioReport.note(String.format("cluster %s (%d nodes, balancers %s) up in %.1f s", name, nodeCount,
                    List.of(frontsWanted), (System.nanoTime() - began) / 1e9));
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(Engine engine, String name, int nodeCount, List<Front> wanted) throws IOException {
        network = createNetwork();
        String gateway = subnetPrefix + "1";
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= nodeCount; i++) {
            addresses.put("jvm" + i, subnetPrefix + (10 + i));
        }
        Path dir = Distribution.work().resolve(name);
        files = DeploymentFiles.write(dir, addresses);
        FrontConfigs.write(files, dir.resolve("fronts"));
        for (Map.Entry<String, String> node : addresses.entrySet()) {
            NodeContainer container = new NodeContainer(engine, network, labels, node.getKey(), node.getValue(), gateway,
                    files.base(node.getKey()));
            started.add(container);
            nodes.put(node.getKey(), container);
            container.start();
        }
        for (Front front : wanted) {
            FrontContainer container = new FrontContainer(engine, network, labels, front, subnetPrefix + FRONT_HOST.get(front),
                    dir.resolve("fronts"));
            started.add(container);
            fronts.put(front, container);
            container.start();
        }
        for (Front front : wanted) {
            awaitInRotation(front, Duration.ofSeconds(60));
        }
    }

    /** A network of its own on a free /24 (other checkouts' tiers may hold some). */
    private Network createNetwork() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            String prefix = "10.213." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
            Network candidate = Network.builder().createNetworkCmdModifier(cmd -> cmd
                    .withName(labels.networkName() + "-" + prefix.split("\\.")[2])
                    .withLabels(labels.map())
                    .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(prefix + "0/24").withGateway(prefix + "1"))))
                    .build();
            try {
                candidate.getId();
                subnetPrefix = prefix;
                started.add(candidate);
                return candidate;
            } catch (RuntimeException taken) {
                last = taken;
                candidate.close();
            }
        }
        throw new IllegalStateException("no free /24 in 10.213.0.0/16 for the cluster's network", last);
    }

    /** Heals cut links, starts dead nodes, then waits until every balancer named sends new users to every node. */
    public void ensureHealthy(Front... needed) {
        for (NodeContainer node : nodes.values()) {
            if (node.isCut()) {
                node.healLink();
            }
            if (!node.isRunning()) {
                node.restart();
            }
        }
        for (Front front : needed.length == 0 ? fronts.keySet().toArray(new Front[0]) : needed) {
            awaitInRotation(front, Duration.ofSeconds(150));
        }
    }

    /** Waits until requests without a session through {@code front} reach every node; returns how long that took. */
    public Duration awaitInRotation(Front front, Duration atMost) {
        long began = System.nanoTime();
        Set<String> seen = new HashSet<>();
        FrontContainer container = fronts.get(front);
        Waits.until("every node in " + front.label() + "'s rotation", atMost, () -> {
            String node = container.ping();
            if (node != null) {
                seen.add(node);
            }
            return seen.containsAll(nodes.keySet());
        });
        return Duration.ofNanos(System.nanoTime() - began);
    }

    public NodeContainer node(String route) {
        NodeContainer node = nodes.get(route);
        if (node == null) {
            throw new IllegalArgumentException("route: " + route + " (expected: one of " + nodes.keySet() + ")");
        }
        return node;
    }

    public List<NodeContainer> nodes() {
        return List.copyOf(nodes.values());
    }

    public FrontContainer front(Front front) {
        return fronts.get(front);
    }

    public DeploymentFiles files() {
        return files;
    }

    /**
     * Runs a one-shot container of the node image on the cluster's network at an address no member uses (.30), with
     * {@code mounts} (host path to container path, read-only); returns its console once it has exited.
     */
    public String runStranger(Map<Path, String> mounts, String... command) {
        String ip = subnetPrefix + "30";
        try (org.testcontainers.containers.GenericContainer<?> stranger = new org.testcontainers.containers.GenericContainer<>(
                org.testcontainers.utility.DockerImageName.parse(Engine.get().nodeImage()))) {
            stranger.withNetwork(network).withLabels(labels.map())
                    .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(ip).withName(labels.containerName("stranger")))
                    .withStartupCheckStrategy(new RunToEnd().withTimeout(Duration.ofSeconds(90)))
                    .withCommand(command);
            mounts.forEach((host, inside) -> stranger.withFileSystemBind(host.toString(), inside,
                    org.testcontainers.containers.BindMode.READ_ONLY));
            stranger.start();
            return stranger.getLogs();
        }
    }

    /** Started once it has exited, whatever its exit code: its console says what happened. */
    private static final class RunToEnd extends org.testcontainers.containers.startupcheck.StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(com.github.dockerjava.api.DockerClient client, String containerId) {
            return Boolean.TRUE.equals(getCurrentState(client, containerId).getRunning())
                    ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }

    /** The address {@link #runStranger} runs at. */
    public String strangerAddress() {
        return subnetPrefix + "30";
    }

    /** Writes each node's and balancer's console into {@code dir}; best effort (it runs after a failure). */
    void dumpLogs(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            for (NodeContainer node : nodes.values()) {
                java.nio.file.Files.writeString(dir.resolve("c" + nodes.size() + "-" + node.route() + ".log"), node.logs());
            }
            for (FrontContainer front : fronts.values()) {
                java.nio.file.Files.writeString(dir.resolve("c" + nodes.size() + "-" + front.front().name().toLowerCase() + ".log"),
                        front.logs());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not write the cluster's logs to " + dir + ": " + e);
        }
    }

    /** Removes every container and the network, whatever state they are in (Ryuk is off: nobody else will). */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup of " + started.get(i) + " failed: " + e);
            }
        }
        started.clear();
    }
}
