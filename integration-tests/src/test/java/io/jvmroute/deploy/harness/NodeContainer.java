package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * One Tomcat node on a host of its own: a container running the real distribution (mounted read-only) with
 * the CATALINA_BASE the suite laid out (mounted), started with {@code catalina.sh run} so that the JVM is the
 * container's init and {@code docker kill} is a kill -9 of the node. Faults act on it from outside, as they
 * would on a machine: kill, start again, {@code shutdown.sh}, a cut network link.
 */
public final class NodeContainer implements AutoCloseable {

    private static final String JRE = "/usr/lib/jvm/java-17-openjdk-amd64";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String route;
    private final String ip;
    private final String gateway;
    private final GenericContainer<?> container;
    private boolean cut;

    NodeContainer(Engine engine, Network network, Labels labels, String route, String ip, String gateway, Path base) {
        this.route = route;
        this.ip = ip;
        this.gateway = gateway;
        this.container = new GenericContainer<>(DockerImageName.parse(engine.nodeImage()))
                .withNetwork(network)
                .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(ip).withHostName(route)
                        .withName(labels.containerName(route)))
                .withLabels(labels.map())
                .withFileSystemBind(Distribution.tomcatHome().toString(), "/opt/tomcat", BindMode.READ_ONLY)
                .withFileSystemBind(base.toString(), "/opt/base", BindMode.READ_WRITE)
                .withEnv("JRE_HOME", JRE)
                .withEnv("CATALINA_HOME", "/opt/tomcat")
                .withEnv("CATALINA_BASE", "/opt/base")
                .withEnv("CATALINA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -Djvmroute.node=" + route)
                .withCommand("/opt/tomcat/bin/catalina.sh", "run");
    }

    public String route() {
        return route;
    }

    public String ip() {
        return ip;
    }

    /** The node's own HTTP connector, bypassing every balancer (a stray request, a check). */
    public URI direct(String path) {
        return URI.create("http://" + ip + ":" + DeploymentFiles.HTTP_PORT + path);
    }

    void start() {
        container.start();
        awaitServing();
    }

    /** {@code docker kill}: the node's JVM gets SIGKILL, its network namespace goes with it. */
    public void kill() {
        Engine.kill(container.getContainerId());
        Waits.until("node " + route + " is dead", Duration.ofSeconds(20), () -> !isRunning());
    }

    /** {@code docker start} after a kill or stop (same IP, same files); returns when the node serves HTTP. */
    public Duration restart() {
        long started = System.nanoTime();
        Engine.start(container.getContainerId());
        cut = false;
        awaitServing();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts the container again without waiting: for watching what the node answers from its very first request. */
    public void startAgainAsync() {
        Engine.start(container.getContainerId());
        cut = false;
    }

    /** The operator's plain {@code bin/shutdown.sh} inside the node; returns once the JVM has exited. */
    public Duration shutdown() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Container.ExecResult result = container.execInContainer("/opt/tomcat/bin/shutdown.sh");
        if (result.getExitCode() != 0) {
            throw new IllegalStateException("shutdown.sh on " + route + " exited " + result.getExitCode() + ": "
                    + result.getStdout() + result.getStderr());
        }
        Waits.until("node " + route + " exits after shutdown.sh", Duration.ofSeconds(60), () -> !isRunning());
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Takes the node's link down inside its own network namespace: peers and balancers lose it, it lives on. */
    public void cutLink() {
        Engine.inNetworkNamespace(container.getContainerId(), "ip", "link", "set", "eth0", "down");
        cut = true;
    }

    /** Brings the link back up and restores the default route that went with it. */
    public void healLink() {
        String id = container.getContainerId();
        Engine.inNetworkNamespace(id, "ip", "link", "set", "eth0", "up");
        Engine.inNetworkNamespace(id, "ip", "route", "replace", "default", "via", gateway);
        cut = false;
    }

    public boolean isCut() {
        return cut;
    }

    public boolean isRunning() {
        return Engine.running(container.getContainerId());
    }

    /** Whether the node answers its ping page right now. */
    public boolean serves() {
        try {
            HttpRequest ping = HttpRequest.newBuilder(direct(DeploymentFiles.CONTEXT + "/ping.jsp"))
                    .timeout(Duration.ofSeconds(2)).build();
            return WebUser.HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitServing() {
        Waits.until("node " + route + " serves " + DeploymentFiles.CONTEXT + "/ping.jsp", START_TIMEOUT, () -> {
            if (!isRunning()) {
                throw new IllegalStateException("node " + route + " exited while starting:\n" + logTail());
            }
            return serves();
        });
    }

    /** Everything the node logged to its console (JULI's ConsoleHandler), over all its starts. */
    public String logs() {
        return container.getLogs();
    }

    public String logTail() {
        String logs = logs();
        return logs.substring(Math.max(0, logs.length() - 6000));
    }

    @Override
    public void close() {
        container.stop();
    }
}
