package io.jvmroute.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The balancer's own settings, written in workers.properties as {@code balancer.<key>=value} beside the
 * mod_jk keys. The keys, defaults and units are documented for operators in {@code balancer/README.md};
 * the defaults themselves live in {@link Builder}'s field initialisers.
 */
public record BalancerSettings(HostPort listen, Optional<String> lb, HostPort adminListen, Optional<String> adminToken,
                               String healthPath, Duration healthInterval, Duration healthTimeout, int healthRise,
                               int healthFall, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
                               int retries, int retryBuffer, int poolMaxConnections, int poolMaxIdle,
                               Duration poolIdleTimeout,
                               int maxInitialLine, int maxHeaderSize, List<String> trustedProxies,
                               String failoverHeader, Duration shutdownTimeout, Optional<String> tlsCert,
                               Optional<String> tlsKey, Optional<String> tlsKeystore, String tlsKeystorePassword,
                               Optional<HostPort> tcpListen, int tcpPort, ClusterSettings cluster) {

    public BalancerSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(lb, "lb");
        Objects.requireNonNull(adminListen, "adminListen");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(healthPath, "healthPath");
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(failoverHeader, "failoverHeader");
        Objects.requireNonNull(tlsCert, "tlsCert");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(tlsKeystore, "tlsKeystore");
        Objects.requireNonNull(tlsKeystorePassword, "tlsKeystorePassword");
        Objects.requireNonNull(tcpListen, "tcpListen");
        Objects.requireNonNull(cluster, "cluster");
        if (cluster.enabled() && cluster.token().isEmpty()) {
            throw new IllegalArgumentException("balancer.cluster needs balancer.cluster.token (expected: the valves' clusterToken,"
                    + " or --cluster-token / JVMROUTE_CLUSTER_TOKEN)");
        }
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("balancer.tls.cert and balancer.tls.key go together (expected: both or neither)");
        }
        if (tlsCert.isPresent() && tlsKeystore.isPresent()) {
            throw new IllegalArgumentException("balancer.tls.cert and balancer.tls.keystore exclude each other (expected: one of them)");
        }
    }

    /** Whether the front listener speaks TLS. */
    public boolean tls() {
        return tlsCert.isPresent() || tlsKeystore.isPresent();
    }

    /**
     * The port the TCP relay connects to on each worker's host: {@code tcp.port}, else the port of
     * {@code tcp.listen} (CloudStack's 8250 on both sides).
     */
    public int tcpWorkerPort() {
        return tcpPort != 0 ? tcpPort : tcpListen.map(HostPort::port).orElse(0);
    }

    /** Every default, as listed above. */
    public static BalancerSettings defaults() {
        return new Builder().build();
    }

    /** The keys after {@code balancer.} that {@link Builder#set} accepts. */
    public static final Set<String> KEYS = Set.of("listen", "lb", "admin.listen", "admin.token", "health.path",
            "health.interval", "health.timeout", "health.rise", "health.fall", "connect_timeout", "response_timeout",
            "idle_timeout", "retries", "retry_buffer", "pool.max_connections", "pool.max_idle",
            "pool.idle_timeout", "max_initial_line",
            "max_header_size", "trusted_proxies", "failover_header", "shutdown_timeout", "tls.cert", "tls.key",
            "tls.keystore", "tls.keystore_password", "tcp.listen", "tcp.port", "cluster", "cluster.path",
            "cluster.token", "cluster.interval");

    /** Collects settings one key at a time; each bad value is rejected with what was expected. */
    public static final class Builder {
        private HostPort listen = new HostPort("0.0.0.0", 8080);
        private String lb;
        private HostPort adminListen = new HostPort("127.0.0.1", 8081);
        private String adminToken;
        private String healthPath = "/";
        private Duration healthInterval = Duration.ofSeconds(1);
        private Duration healthTimeout = Duration.ofMillis(500);
        private int healthRise = 2;
        private int healthFall = 2;
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int retries = 2;
        private int retryBuffer = 65536;
        private int poolMaxConnections = 256;
        private int poolMaxIdle = 32;
        private Duration poolIdleTimeout = Duration.ofSeconds(15);
        private int maxInitialLine = 8192;
        private int maxHeaderSize = 16384;
        private List<String> trustedProxies = List.of();
        private String failoverHeader = "X-JvmRoute-Failover";
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private String tlsCert;
        private String tlsKey;
        private String tlsKeystore;
        private String tlsKeystorePassword = "";
        private HostPort tcpListen;
        private int tcpPort;
        private ClusterSettings cluster = ClusterSettings.NONE;

        /**
         * Sets {@code key} (without the {@code balancer.} prefix).
         *
         * @return false if the key is unknown
         * @throws IllegalArgumentException for a bad value, naming what was expected
         */
        public boolean set(String key, String value) {
            switch (key) {
                case "listen" -> listen = HostPort.parseListen(value, "0.0.0.0");
                case "lb" -> lb = value.trim();
                case "admin.listen" -> adminListen = HostPort.parseListen(value, "127.0.0.1");
                case "admin.token" -> adminToken = value.trim();
                case "health.path" -> healthPath = checkPath(value.trim());
                case "health.interval" -> healthInterval = Values.parseDuration(value);
                case "health.timeout" -> healthTimeout = Values.parseDuration(value);
                case "health.rise" -> healthRise = Values.parseInt(value, 1, 100);
                case "health.fall" -> healthFall = Values.parseInt(value, 1, 100);
                case "connect_timeout" -> connectTimeout = Values.parseDuration(value);
                case "response_timeout" -> responseTimeout = Values.parseDuration(value);
                case "idle_timeout" -> idleTimeout = Values.parseDuration(value);
                case "retries" -> retries = Values.parseInt(value, 0, 100);
                case "retry_buffer" -> retryBuffer = Values.parseInt(value, 0, 64 << 20);
                case "pool.max_connections" -> poolMaxConnections = Values.parseInt(value, 1, 1 << 20);
                case "pool.max_idle" -> poolMaxIdle = Values.parseInt(value, 0, 1 << 20);
                case "pool.idle_timeout" -> poolIdleTimeout = Values.parseDuration(value);
                case "max_initial_line" -> maxInitialLine = Values.parseInt(value, 256, 1 << 20);
                case "max_header_size" -> maxHeaderSize = Values.parseInt(value, 1024, 1 << 20);
                case "trusted_proxies" -> trustedProxies = Values.parseList(value);
                case "failover_header" -> failoverHeader = checkHeaderName(value.trim());
                case "shutdown_timeout" -> shutdownTimeout = Values.parseDuration(value);
                case "tls.cert" -> tlsCert = value.trim();
                case "tls.key" -> tlsKey = value.trim();
                case "tls.keystore" -> tlsKeystore = value.trim();
                case "tls.keystore_password" -> tlsKeystorePassword = value;
                case "tcp.listen" -> tcpListen = value.isBlank() ? null : HostPort.parseListen(value, "0.0.0.0");
                case "tcp.port" -> tcpPort = Values.parseInt(value, 1, 65535);
                case "cluster" -> cluster = new ClusterSettings(ClusterSettings.parseSeeds(value), cluster.path(),
                        cluster.token(), cluster.interval());
                case "cluster.path" -> cluster = new ClusterSettings(cluster.seeds(), checkPath(value.trim()),
                        cluster.token(), cluster.interval());
                case "cluster.token" -> cluster = new ClusterSettings(cluster.seeds(), cluster.path(),
                        present(value.trim()), cluster.interval());
                case "cluster.interval" -> cluster = new ClusterSettings(cluster.seeds(), cluster.path(),
                        cluster.token(), Values.parseDuration(value));
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** Starts from existing settings (command-line flags override a file's). */
        public Builder from(BalancerSettings s) {
            listen = s.listen();
            lb = s.lb().orElse(null);
            adminListen = s.adminListen();
            adminToken = s.adminToken().orElse(null);
            healthPath = s.healthPath();
            healthInterval = s.healthInterval();
            healthTimeout = s.healthTimeout();
            healthRise = s.healthRise();
            healthFall = s.healthFall();
            connectTimeout = s.connectTimeout();
            responseTimeout = s.responseTimeout();
            idleTimeout = s.idleTimeout();
            retries = s.retries();
            retryBuffer = s.retryBuffer();
            poolMaxConnections = s.poolMaxConnections();
            poolMaxIdle = s.poolMaxIdle();
            poolIdleTimeout = s.poolIdleTimeout();
            maxInitialLine = s.maxInitialLine();
            maxHeaderSize = s.maxHeaderSize();
            trustedProxies = s.trustedProxies();
            failoverHeader = s.failoverHeader();
            shutdownTimeout = s.shutdownTimeout();
            tlsCert = s.tlsCert().orElse(null);
            tlsKey = s.tlsKey().orElse(null);
            tlsKeystore = s.tlsKeystore().orElse(null);
            tlsKeystorePassword = s.tlsKeystorePassword();
            tcpListen = s.tcpListen().orElse(null);
            tcpPort = s.tcpPort();
            cluster = s.cluster();
            return this;
        }

        public BalancerSettings build() {
            return new BalancerSettings(listen, Optional.ofNullable(lb).filter(s -> !s.isEmpty()), adminListen,
                    Optional.ofNullable(adminToken).filter(s -> !s.isEmpty()), healthPath, healthInterval,
                    healthTimeout, healthRise, healthFall, connectTimeout, responseTimeout, idleTimeout, retries,
                    retryBuffer, poolMaxConnections, poolMaxIdle, poolIdleTimeout, maxInitialLine, maxHeaderSize, trustedProxies,
                    failoverHeader, shutdownTimeout, present(tlsCert), present(tlsKey), present(tlsKeystore),
                    tlsKeystorePassword, Optional.ofNullable(tcpListen), tcpPort, cluster);
        }

        private static Optional<String> present(String s) {
            return Optional.ofNullable(s).filter(v -> !v.isEmpty());
        }

        private static String checkPath(String path) {
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException(path + " (expected: a path starting with '/', no blanks)");
            }
            return path;
        }

        private static String checkHeaderName(String name) {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException(name + " (expected: an HTTP header name)");
            }
            return name;
        }
    }
}
