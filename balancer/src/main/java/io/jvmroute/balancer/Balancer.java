package io.jvmroute.balancer;

import io.jvmroute.balancer.admin.AdminServer;
import io.jvmroute.balancer.admin.BalancerControl;
import io.jvmroute.balancer.cluster.ClusterReader;
import io.jvmroute.balancer.cluster.ClusterWorkers;
import io.jvmroute.balancer.cluster.LearnedCluster;
import io.jvmroute.balancer.proxy.FrontendInitializer;
import io.jvmroute.balancer.proxy.PoolRegistry;
import io.jvmroute.balancer.proxy.ProxyHeaders;
import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.jvmroute.balancer.proxy.TrustedProxies;
import io.jvmroute.balancer.routing.Router;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.balancer.tcp.TcpRelay;
import io.jvmroute.config.Activation;
import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.HostPort;
import io.jvmroute.config.StatusDef;
import io.jvmroute.config.WorkerDef;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.membership.ClusterReport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The balancer: a front listener proxying to the workers of one lb, health checks, and the admin listener.
 *
 * <pre>
 * Balancer b = Balancer.start(WorkersPropertiesParser.parse(Path.of("workers.properties")));
 * ...
 * b.close(); // stops accepting, lets requests in flight finish (shutdown_timeout), closes
 * </pre>
 *
 * <p>The configuration in force is one immutable {@link ProxyRuntime}; {@link #reload} builds a new one and
 * publishes it, keeping the live state (counters, health, pools) of workers whose definition did not change.
 */
public final class Balancer implements BalancerControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);

    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final PoolRegistry pools;
    private final HealthChecker health;
    private final Channel front;
    private final Channel admin;
    /** The plain TCP relay ({@code balancer.tcp.listen}), or null when not configured. */
    private final Channel tcp;
    private volatile ProxyRuntime runtime;
    /** What is served: {@link #configured} combined with the cluster's members ({@link ClusterWorkers}). */
    private volatile WorkersConfig config;
    /** What the file or the command line says. */
    private volatile WorkersConfig configured;
    private final ClusterWorkers clusterWorkers = new ClusterWorkers();
    private final ClusterReader clusterReader;
    private volatile ConfigSource source;

    /** Where {@link #reload()} reads the configuration again (the workers.properties file). */
    @FunctionalInterface
    public interface ConfigSource {
        WorkersConfig load() throws ConfigException, IOException;
    }

    /** Open client connections, closed at shutdown before their event loops stop. */
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private Balancer(WorkersConfig config, int threads) throws InterruptedException, ConfigException {
        SslContext tls = FrontTls.context(config.settings()); // before any thread starts: a bad file fails fast
        this.transport = Transport.best();
        this.config = config;
        this.configured = config;
        BalancerSettings s = config.settings();
        this.acceptor = transport.newGroup(1);
        this.loops = transport.newGroup(threads);
        this.pools = new PoolRegistry(transport, threads, s);
        this.runtime = newRuntime(config, Map.of());
        boolean started = false;
        try {
            this.front = new ServerBootstrap().group(acceptor, loops).channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new FrontendInitializer(this::runtime, tls, clients))
                    .bind(address(s.listen())).sync().channel();
            this.admin = AdminServer.bind(acceptor, loops, transport, this, address(s.adminListen()));
            this.tcp = s.tcpListen().isEmpty() ? null
                    : TcpRelay.bind(acceptor, loops, transport, this::runtime, address(s.tcpListen().get()), clients);
            this.health = new HealthChecker(loops.next(), transport, this::runtime);
            health.start();
            this.clusterReader = new ClusterReader(() -> this.config.settings().cluster(), this::clusterRead);
            clusterReader.start();
            started = true;
        } finally {
            if (!started) {
                loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
        }
        LOG.info("balancing lb {} over {} on {} ({}), status on http://{}:{}/", config.lb().name(),
                config.lb().members(), front.localAddress(), transport.name(),
                adminAddress().getHostString(), adminAddress().getPort());
        if (tcp != null) {
            LOG.info("relaying plain TCP from {} to port {} of the workers, by source address", tcp.localAddress(),
                    s.tcpWorkerPort());
        }
        config.warnings().forEach(w -> LOG.warn("{}", w));
    }

    /** Starts with one event loop per core. */
    public static Balancer start(WorkersConfig config) throws InterruptedException, ConfigException {
        return start(config, Runtime.getRuntime().availableProcessors());
    }

    public static Balancer start(WorkersConfig config, int threads) throws InterruptedException, ConfigException {
        return new Balancer(config, threads);
    }

    private static InetSocketAddress address(HostPort hp) {
        return hp.host().isEmpty() ? new InetSocketAddress(hp.port()) : new InetSocketAddress(hp.host(), hp.port());
    }

    private ProxyRuntime newRuntime(WorkersConfig c, Map<WorkerDef, WorkerState> previous) {
        List<WorkerState> states = new ArrayList<>();
        for (WorkerDef def : c.members()) {
            WorkerState kept = previous.get(def);
            states.add(kept != null ? kept : new WorkerState(def));
        }
        BalancerSettings s = c.settings();
        ProxyHeaders headers = new ProxyHeaders(TrustedProxies.parse(s.trustedProxies()), s.failoverHeader());
        return new ProxyRuntime(new Router(c.lb(), states), s, headers, pools, s.tls());
    }

    @Override
    public ProxyRuntime runtime() {
        return runtime;
    }

    public WorkersConfig config() {
        return config;
    }

    public InetSocketAddress frontAddress() {
        return (InetSocketAddress) front.localAddress();
    }

    /** The TCP relay's listening address, or null when {@code balancer.tcp.listen} is not set. */
    public InetSocketAddress tcpAddress() {
        return tcp == null ? null : (InetSocketAddress) tcp.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) admin.localAddress();
    }

    @Override
    public PoolRegistry pools() {
        return pools;
    }

    /** Sets where {@link #reload()} (SIGHUP, the admin action) reads the configuration from. */
    public void reloadFrom(ConfigSource newSource) {
        source = newSource;
    }

    @Override
    public String adminToken() {
        WorkersConfig c = config;
        boolean readOnly = c.status().map(StatusDef::readOnly).orElse(false);
        return readOnly ? null : c.settings().adminToken().orElse(null);
    }

    /** The configuration's file name (or "command line"), "cluster", or both, with any disagreement. */
    @Override
    public String sourceOf(WorkerState worker) {
        return clusterWorkers.sourceOf(worker, configured, System.currentTimeMillis());
    }

    /** An admin action on a cluster member's worker reaches its node: the node drains or becomes active. */
    @Override
    public String activationChanged(WorkerState worker, Activation activation) {
        ClusterReport.Member member = clusterWorkers.member(worker);
        if (member == null || member.http().isEmpty()) {
            return "";
        }
        String action = activation == Activation.ACTIVE ? "activate" : "drain";
        clusterReader.tell(member.http(), action).thenAccept(answer -> LOG.info("told node {} to {}: {}", member.route(), action, answer));
        return "; its node at " + member.http() + " is told to " + action;
    }

    /** What the cluster says now (the admin page and the drain commands read it). */
    @Override
    public LearnedCluster cluster() {
        return clusterWorkers.cluster();
    }

    /** A reading of the cluster: workers join or leave, and members' states become their workers' activations. */
    private synchronized void clusterRead(LearnedCluster reading) {
        clusterWorkers.learnt(reading);
        WorkersConfig merged = clusterWorkers.merge(configured);
        if (!merged.workers().equals(config.workers())) {
            try {
                install(merged);
                merged.warnings().stream().filter(w -> !configured.warnings().contains(w)).forEach(w -> LOG.warn("{}", w));
                LOG.info("cluster: lb {} now over {}", merged.lb().name(), merged.lb().members());
            } catch (ConfigException e) {
                LOG.error("cluster: cannot serve its members, the workers stay as they were: {}", e.getMessage());
            }
        }
        Router router = runtime.router();
        clusterWorkers.applyStates(router.workers()).forEach(router::rejoin);
    }

    /** Re-reads the configuration from its source; a broken file is refused and the old config keeps running. */
    @Override
    public String reload() throws ConfigException {
        ConfigSource s = source;
        if (s == null) {
            throw new ConfigException("nothing to reload: the balancer was started from the command line");
        }
        try {
            reload(s.load());
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration: " + e);
        } catch (ConfigException e) {
            LOG.error("reload refused, the old configuration stays:\n{}", e.getMessage());
            throw e;
        }
        return "reloaded " + config.source();
    }

    /**
     * Switches to a new configuration without dropping connections: requests in progress finish with the
     * old one. Workers whose definition is unchanged keep their counters, health and connections (a worker
     * whose activation was changed by an admin action keeps that activation only if the file agrees).
     * Listen addresses cannot change without a restart; such a change is refused.
     */
    public synchronized void reload(WorkersConfig newConfig) throws ConfigException {
        BalancerSettings old = config.settings();
        BalancerSettings wanted = newConfig.settings();
        if (!old.listen().equals(wanted.listen()) || !old.adminListen().equals(wanted.adminListen())
                || !old.tlsCert().equals(wanted.tlsCert()) || !old.tlsKeystore().equals(wanted.tlsKeystore())
                || !old.tcpListen().equals(wanted.tcpListen())) {
            throw new ConfigException(newConfig.source() + ": balancer.listen, balancer.admin.listen, balancer.tcp.listen"
                    + " and balancer.tls.* cannot change on reload (expected: a restart)");
        }
        install(clusterWorkers.merge(newConfig));
        configured = newConfig;
        config.warnings().forEach(w -> LOG.warn("{}", w));
        LOG.info("reloaded {}: lb {} over {}", newConfig.source(), config.lb().name(), config.lb().members());
    }

    /** Serves a new set of workers, keeping the live state of those whose definition did not change. */
    private void install(WorkersConfig newConfig) throws ConfigException {
        Map<WorkerDef, WorkerState> previous = new HashMap<>();
        for (WorkerState w : runtime.router().workers()) {
            previous.put(w.def(), w);
        }
        ProxyRuntime next;
        try {
            next = newRuntime(newConfig, previous);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(newConfig.source() + ": " + e.getMessage());
        }
        pools.retainOnly(next.router().workers(), newConfig.settings());
        config = newConfig;
        runtime = next;
    }

    /** Requests in flight on every worker, for graceful shutdown. */
    private int inFlight() {
        return runtime.router().workers().stream().mapToInt(WorkerState::inFlight).sum();
    }

    /** Stops accepting, waits up to {@code shutdown_timeout} for requests in flight, then closes everything. */
    @Override
    public void close() {
        front.close().syncUninterruptibly();
        admin.close().syncUninterruptibly();
        if (tcp != null) {
            tcp.close().syncUninterruptibly();
        }
        health.stop();
        clusterReader.close();
        long deadline = System.nanoTime() + config.settings().shutdownTimeout().toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            // wait on the clock of a loop rather than sleeping: the requests finish on those loops
            loops.next().schedule(() -> { }, 20, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        // idle keep-alive clients are closed while their loops still run: a read they have pending gets its
        // cancellation processed (io_uring lends the read buffer to the kernel until then), not dropped
        clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        pools.closeAll();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("stopped");
    }
}
