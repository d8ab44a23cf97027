package io.jvmroute.deploy.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/** One balancer on a host of its own in front of the cluster's nodes, configured by {@link FrontConfigs}. */
public final class FrontContainer implements AutoCloseable {

    private final Front front;
    private final String ip;
    private final GenericContainer<?> container;

    FrontContainer(Engine engine, Network network, Labels labels, Front front, String ip, Path configs) {
        this.front = front;
        this.ip = ip;
        GenericContainer<?> c = switch (front) {
            case JVMROUTE -> new GenericContainer<>(DockerImageName.parse(engine.nodeImage()))
                    .withFileSystemBind(Distribution.home().toString(), "/opt/jvmroute", BindMode.READ_ONLY)
                    .withFileSystemBind(configs.resolve("jvmroute/workers.properties").toString(),
                            "/etc/jvmroute/workers.properties", BindMode.READ_ONLY)
                    .withEnv("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
                    .withCommand("/opt/jvmroute/bin/jvmroute", "balancer", "/etc/jvmroute/workers.properties");
            case APACHE_MOD_JK -> new GenericContainer<>(DockerImageName.parse(engine.apacheImage()))
                    .withFileSystemBind(configs.resolve("apache/workers.properties").toString(),
                            "/etc/libapache2-mod-jk/workers.properties", BindMode.READ_ONLY)
                    .withFileSystemBind(configs.resolve("apache/jk.conf").toString(),
                            "/etc/apache2/mods-available/jk.conf", BindMode.READ_ONLY)
                    .withFileSystemBind(configs.resolve("apache/ports.conf").toString(),
                            "/etc/apache2/ports.conf", BindMode.READ_ONLY);
            case HAPROXY -> new GenericContainer<>(DockerImageName.parse(engine.haproxyImage()))
                    .withFileSystemBind(configs.resolve("haproxy/haproxy.cfg").toString(),
                            "/etc/haproxy/haproxy.cfg", BindMode.READ_ONLY);
        };
        this.container = c.withNetwork(network)
                .withLabels(labels.map())
                .withCreateContainerCmdModifier(cmd -> cmd.withIpv4Address(ip).withHostName(front.name().toLowerCase())
                        .withName(labels.containerName(front.name().toLowerCase())));
    }

    public Front front() {
        return front;
    }

    /** The webapp through this balancer, e.g. {@code http://10.213.7.20:8080/app/}. */
    public URI app() {
        return URI.create("http://" + ip + ":" + FrontConfigs.FRONT_PORT + DeploymentFiles.CONTEXT + "/");
    }

    void start() {
        container.start();
        Waits.until(front.label() + " answers", Duration.ofSeconds(60), () -> {
            if (!Engine.running(container.getContainerId())) {
                throw new IllegalStateException(front.label() + " exited:\n" + container.getLogs());
            }
            return ping() != null;
        });
    }

    /** The node that answered the ping page through this balancer, or null if it did not answer 200. */
    public String ping() {
        try {
            HttpRequest request = HttpRequest.newBuilder(app().resolve("ping.jsp")).timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = WebUser.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body().trim();
            return response.statusCode() == 200 && body.startsWith("node=") ? body.substring(5) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public String logs() {
        return container.getLogs();
    }

    @Override
    public void close() {
        container.stop();
    }
}
