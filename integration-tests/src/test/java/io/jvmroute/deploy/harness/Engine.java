package io.jvmroute.deploy.harness;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The Docker engine the tier runs on and the images it builds there: one node image (a JRE; the Tomcat
 * distribution is mounted, so Tomcat 11 and 10.1 share it), Apache httpd + mod_jk, HAProxy, all FROM the base
 * image that {@code integration-tests/containers/provision.sh} imports, or a public one named by
 * {@code -Djvmroute.containers.base=debian:bookworm-slim} on a developer's own Docker.
 */
public final class Engine {

    static final String BASE_PROPERTY = "jvmroute.containers.base";
    private static final String DEFAULT_BASE = "jvmroute/base:bookworm";

    private static Engine instance;

    private final String nodeImage;
    private final String apacheImage;
    private final String haproxyImage;

    private Engine(String nodeImage, String apacheImage, String haproxyImage) {
        this.nodeImage = nodeImage;
        this.apacheImage = apacheImage;
        this.haproxyImage = haproxyImage;
    }

    /** The engine with the tier's images built (once per JVM; Docker's layer cache makes later builds instant). */
    public static synchronized Engine get() {
        if (instance == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("no Docker engine reachable: run integration-tests/containers/provision.sh"
                        + " (as root; installs docker.io and starts dockerd) or start your own Docker");
            }
            removeLeftovers(Labels.of("").owner());
            String base = System.getProperty(BASE_PROPERTY, DEFAULT_BASE);
            if (base.equals(DEFAULT_BASE) && client().listImagesCmd().withImageNameFilter(base).exec().isEmpty()) {
                throw new IllegalStateException("no base image " + base + ": run integration-tests/containers/provision.sh"
                        + " (debootstrap, docker import), or name a public one: -D" + BASE_PROPERTY + "=debian:bookworm-slim");
            }
            long started = System.nanoTime();
            instance = new Engine(build("node", base), build("apache", base), build("haproxy", base));
            ScenarioReport.note(String.format("images built FROM %s in %.1f s", base, (System.nanoTime() - started) / 1e9));
        }
        return instance;
    }

    private static String build(String name, String base) {
        // A fixed name per base keeps one image per kind instead of a new one per run; deleteOnExit=false
        // keeps it (and its layers) for the next run.
        String tag = "jvmroute-it/" + name + ":" + base.replaceAll("[^A-Za-z0-9_.-]", "-");
        return new ImageFromDockerfile(tag, false)
                .withFileFromClasspath("Dockerfile", "deploy/images/" + name + "/Dockerfile")
                .withBuildArg("BASE", base)
                .get();
    }

    /** What a crashed earlier run of this checkout left (Ryuk is off): its containers, then its networks. */
    private static void removeLeftovers(String owner) {
        DockerClient client = client();
        client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.OWNER, owner)).exec()
                .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
        client.listNetworksCmd().withFilter("label", List.of(Labels.OWNER + "=" + owner)).exec()
                .forEach(n -> client.removeNetworkCmd(n.getId()).exec());
    }

    public String nodeImage() {
        return nodeImage;
    }

    public String apacheImage() {
        return apacheImage;
    }

    public String haproxyImage() {
        return haproxyImage;
    }

    static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /** {@code docker kill}: SIGKILL to the container's init, the JVM, at once. */
    static void kill(String containerId) {
        client().killContainerCmd(containerId).exec();
    }

    /** {@code docker start} of a stopped container: same network, same IP, same mounts. */
    static void start(String containerId) {
        client().startContainerCmd(containerId).exec();
    }

    static boolean running(String containerId) {
        Boolean running = client().inspectContainerCmd(containerId).exec().getState().getRunning();
        return Boolean.TRUE.equals(running);
    }

    /** The host pid of the container's init process, whose network namespace {@code nsenter} enters. */
    static long pid(String containerId) {
        Long pid = client().inspectContainerCmd(containerId).exec().getState().getPidLong();
        if (pid == null || pid == 0) {
            throw new IllegalStateException("container " + containerId + " is not running");
        }
        return pid;
    }

    /** Runs a command inside a container's network namespace from the host (ip, iptables): real link faults. */
    static void inNetworkNamespace(String containerId, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid(containerId)), "-n"));
        full.addAll(List.of(command));
        run(full);
    }

    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
