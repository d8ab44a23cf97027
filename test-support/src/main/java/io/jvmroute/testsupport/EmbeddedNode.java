package io.jvmroute.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.catalina.Cluster;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Manager;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * One embedded Tomcat in the test's JVM: Engine {@code jvmRoute} = route, HTTP on a free port of its own
 * loopback address, a distributable {@code /app} with {@link FormLogin}, and whatever cluster, valves and
 * servlets the module under test hands in (so this class knows no jvmroute module).
 */
public final class EmbeddedNode implements AutoCloseable {

    private final String route;
    private final String host;
    private final Tomcat tomcat;
    private final Context context;
    private final File baseDir;

    private EmbeddedNode(String route, String host, Tomcat tomcat, Context context, File baseDir) {
        this.route = route;
        this.host = host;
        this.tomcat = tomcat;
        this.context = context;
        this.baseDir = baseDir;
    }

    /** A node with Engine {@code jvmRoute} = {@code route} serving HTTP on {@code host}. */
    public static Builder builder(String route, String host) {
        return new Builder(route, host);
    }

    /** What a node is made of; {@link #build()} creates it, not started. */
    public static final class Builder {
        private final String route;
        private final String host;
        private String engineName;
        private String serviceName;
        private Cluster cluster;
        private final List<Consumer<Tomcat>> server = new ArrayList<>();
        private final List<Consumer<Context>> app = new ArrayList<>();

        private Builder(String route, String host) {
            this.route = route;
            this.host = host;
            this.engineName = "Engine-" + route;
            this.serviceName = "Service-" + route;
        }

        /** Engine and Service names; nodes in one JVM need distinct ones (JMX names are built from them). */
        public Builder names(String engine, String service) {
            this.engineName = engine;
            this.serviceName = service;
            return this;
        }

        /** The Engine's cluster, or none (the default). */
        public Builder cluster(Cluster engineCluster) {
            this.cluster = engineCluster;
            return this;
        }

        /** Server-level additions (valves in the Engine or Host pipeline), before the cluster is set. */
        public Builder server(Consumer<Tomcat> configure) {
            server.add(configure);
            return this;
        }

        /** The application's servlets and listeners in {@code /app}, added after the FORM login. */
        public Builder app(Consumer<Context> configure) {
            app.add(configure);
            return this;
        }

        public EmbeddedNode build() {
            File baseDir;
            try {
                baseDir = Files.createTempDirectory("jvmroute-" + route).toFile();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.getAbsolutePath());
            tomcat.getServer().setPort(-1);
            tomcat.getService().setName(serviceName);
            tomcat.getEngine().setName(engineName);
            tomcat.getEngine().setJvmRoute(route);
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", host);
            tomcat.setConnector(connector);
            server.forEach(configure -> configure.accept(tomcat));
            if (cluster != null) {
                tomcat.getEngine().setCluster(cluster);
            }

            File docBase = new File(baseDir, "app");
            if (!docBase.mkdir()) {
                throw new UncheckedIOException(new IOException("cannot create " + docBase));
            }
            Context context = tomcat.addContext("/app", docBase.getAbsolutePath());
            context.setDistributable(true);
            FormLogin.install(tomcat, context);
            app.forEach(configure -> configure.accept(context));
            return new EmbeddedNode(route, host, tomcat, context, baseDir);
        }

        /** Builds and starts the node; a failed start stops it again and rethrows. */
        public EmbeddedNode start() throws LifecycleException {
            EmbeddedNode node = build();
            node.start();
            return node;
        }
    }

    /** Starts the node; on a failed start everything is stopped again and the failure rethrown. */
    public void start() throws LifecycleException {
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A graceful stop: the peers see the member leave at once. Does nothing once stopped. */
    public void stop() throws LifecycleException {
        if (isRunning()) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** Whether the node has not been stopped (it may not have been started yet). */
    public boolean isRunning() {
        return tomcat.getServer().getState() != LifecycleState.DESTROYED;
    }

    public String route() {
        return route;
    }

    public String host() {
        return host;
    }

    public Tomcat tomcat() {
        return tomcat;
    }

    public Context context() {
        return context;
    }

    public Manager manager() {
        return context.getManager();
    }

    public int httpPort() {
        return tomcat.getConnector().getLocalPort();
    }

    /** {@code http://host:port/app}. */
    public String baseUrl() {
        return "http://" + host + ":" + httpPort() + "/app";
    }

    /** {@code path} (starting with {@code /}) in {@code /app}. */
    public String url(String path) {
        return baseUrl() + path;
    }

    /** Stops the node and deletes its base directory. */
    @Override
    public void close() {
        try {
            stop();
        } catch (LifecycleException e) {
            throw new IllegalStateException("node " + route + " did not stop", e);
        } finally {
            deleteRecursively(baseDir);
        }
    }

    private static void deleteRecursively(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteRecursively(child);
            }
        }
        file.delete();
    }
}
