package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvmroute.replication.secure.SecureReplication;
import io.jvmroute.replication.secure.TlsReceiver;
import io.jvmroute.replication.secure.TlsSender;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.testsupport.Http;
import io.jvmroute.testsupport.LogCapture;
import io.jvmroute.tls.ClusterPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.LifecycleException;
import org.apache.tomcat.util.modeler.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secure replication as an operator meets it: material from {@code jvmroute tls init} (ClusterPki) used as-is
 * by a 3-node cluster that replicates logins; the start refusing an unsecured or half-configured transport with
 * one line; the plaintext warning at every start; the expiry warning in the log and over JMX.
 */
class SecureClusterTest {

    private static final String[] HOSTS = {"127.0.0.51", "127.0.0.52", "127.0.0.53"};

    private final List<TestNode> nodes = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void createDir() throws Exception {
        dir = Files.createTempDirectory("jvmroute-secure");
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(TestNode::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void tlsInitMaterialWorksAsIsInAThreeNodeClusterThatReplicatesLogins() throws Exception {
        ClusterPki pki = TestPki.init(dir.resolve("tls"));
        List<ClusterPki.NodeMaterial> materials = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            materials.add(TestPki.issue(pki, "jvm" + (i + 1)));
        }
        nodes.addAll(FreePorts.retryOnLostPort(started -> {
            int port = FreePorts.on(HOSTS);
            String members = "jvm1=" + HOSTS[0] + ":" + port + ",jvm2=" + HOSTS[1] + ":" + port + ",jvm3=" + HOSTS[2]
                    + ":" + port;
            List<TestNode> group = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ClusterPki.NodeMaterial material = materials.get(i);
                group.add(started.add(TestNode.start("jvm" + (i + 1), HOSTS[i], c -> {
                    c.setMembers(members);
                    c.setLoginAttributes("userid,sessionkey");
                    TestPki.tls(material).accept(c);
                })));
            }
            return group;
        }));
        List<String[]> logins = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TestNode node = nodes.get(i % 3);
            logins.add(new String[] {node.route, "user" + i, Http.get(node.url("/login?user=user" + i), null).body()});
        }
        // A login is acknowledged by every peer before its response: no waiting needed, none may be missing.
        for (String[] login : logins) {
            for (TestNode node : nodes) {
                assertThat(node.session(login[2])).as(login[2] + " on " + node.route).isNotNull();
                assertThat(node.session(login[2]).getSession().getAttribute("userid")).isEqualTo(login[1]);
            }
        }
        for (TestNode node : nodes) {
            MBeanServer server = Registry.getRegistry(null, null).getMBeanServer();
            ObjectName name = new ObjectName(node.cluster.getObjectName() + ",component=SecureReplication");
            assertThat((String) server.getAttribute(name, "transport")).startsWith("mutual TLS 1.3");
            assertThat((Long) server.getAttribute(name, "handshakesSucceeded")).isPositive();
            assertThat((Long) server.getAttribute(name, "handshakesFailed")).isZero();
            assertThat((Long) server.getAttribute(name, "rejectedClasses")).isZero();
        }
    }

    /** State transfer in acknowledged batches of 500 sessions (~1 MB frames) over TLS, through the allow-list. */
    @Test
    void aJoiningNodeGetsThousandsOfSessionsOverTls() throws Exception {
        ClusterPki pki = TestPki.init(dir.resolve("tls"));
        ClusterPki.NodeMaterial jvm1 = TestPki.issue(pki, "jvm1");
        ClusterPki.NodeMaterial jvm2 = TestPki.issue(pki, "jvm2");
        nodes.add(startFirst("jvm1", c -> TestPki.tls(jvm1).accept(c)));
        assertThat(Http.get(nodes.get(0).url("/bulk?n=3000"), null).body()).isEqualTo("3000");
        nodes.add(TestNode.start("jvm2", HOSTS[1], c -> {
            c.setMembers(members());
            TestPki.tls(jvm2).accept(c);
        }));
        assertThat(nodes.get(1).manager().getStateTransferReceived()).isEqualTo(3000);
        assertThat(nodes.get(1).manager().getActiveSessions()).isEqualTo(3000);
        assertThat(nodes.get(1).cluster.secureReplication().getFilterLimitsHit()).isZero();
    }

    /** jvm2 restarts: it gets the earlier login by state transfer over TLS, and the next login at once. */
    @Test
    void aRestartedPeerGetsTheStateAndTheNextLoginOverTls() throws Exception {
        ClusterPki pki = TestPki.init(dir.resolve("tls"));
        ClusterPki.NodeMaterial jvm1 = TestPki.issue(pki, "jvm1");
        ClusterPki.NodeMaterial jvm2 = TestPki.issue(pki, "jvm2");
        Consumer<RouteCluster> node2 = c -> {
            c.setMembers(members());
            c.setLoginAttributes("userid");
            TestPki.tls(jvm2).accept(c);
        };
        nodes.addAll(FreePorts.retryOnLostPort(started -> {
            port = 0; // a fresh port for each attempt
            return List.of(started.add(TestNode.start("jvm1", HOSTS[0], c -> {
                c.setMembers(members());
                c.setLoginAttributes("userid");
                TestPki.tls(jvm1).accept(c);
            })), started.add(TestNode.start("jvm2", HOSTS[1], node2)));
        }));
        String before = Http.get(nodes.get(0).url("/login?user=before"), null).body();
        nodes.remove(1).close();
        nodes.add(TestNode.start("jvm2", HOSTS[1], node2));
        String after = Http.get(nodes.get(0).url("/login?user=after"), null).body();
        assertThat(nodes.get(1).session(before).getSession().getAttribute("userid")).isEqualTo("before");
        assertThat(nodes.get(1).session(after).getSession().getAttribute("userid")).isEqualTo("after");
        assertThat(nodes.get(0).manager().getLoginsNotAcknowledged()).isZero();
    }

    /**
     * jvm2 starts with a genuine certificate of the cluster CA, but jvm3's: jvm1 refuses its connections (it
     * comes from jvm2's address) and refuses to send to it (the server at jvm2's address is not jvm2), each
     * with a route mismatch line; nothing replicates to the impostor.
     */
    @Test
    void aNodeWhoseCertificateNamesAnotherRouteIsRefusedBothWays() throws Exception {
        ClusterPki pki = TestPki.init(dir.resolve("tls"));
        ClusterPki.NodeMaterial jvm1 = TestPki.issue(pki, "jvm1");
        ClusterPki.NodeMaterial jvm3 = TestPki.issue(pki, "jvm3");
        try (LogCapture receivers = LogCapture.juli(TlsReceiver.class, Level.WARNING);
                LogCapture senders = LogCapture.juli(TlsSender.class, Level.WARNING)) {
            nodes.addAll(FreePorts.retryOnLostPort(started -> {
                port = 0; // a fresh port for each attempt
                return List.of(started.add(TestNode.start("jvm1", HOSTS[0], c -> {
                    c.setMembers(members());
                    TestPki.tls(jvm1).accept(c);
                })), started.add(TestNode.start("jvm2", HOSTS[1], c -> {
                    c.setMembers(members());
                    TestPki.tls(jvm3).accept(c);
                })));
            }));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(receivers.messages()).anySatisfy(line -> assertThat(line)
                        .startsWith("Refused replication connection from [" + HOSTS[1] + ":")
                        .contains("route mismatch: the certificate names [jvm3] but members lists [jvm2]"));
                assertThat(senders.messages()).anySatisfy(line -> assertThat(line)
                        .startsWith("TLS connection to peer [" + HOSTS[1] + ":" + portFor() + "] failed: route mismatch"));
            });
        }
        String id = Http.get(nodes.get(0).url("/login?user=alice"), null).body();
        assertThat(nodes.get(0).cluster.getMembers()).isEmpty();
        assertThat(nodes.get(1).session(id)).isNull();
    }

    @Test
    void aClusterWithoutCertificatesOrInsecureDoesNotStartAndSaysBoth() {
        String line = failedStartLine(c -> c.setInsecure("false"));
        assertThat(line).contains("certificateFile").contains("caCertificateFile").contains("insecure=\"true\"");
    }

    /** Plaintext lets anyone who reaches the port plant a login: between machines it needs saying so. */
    @Test
    void insecureTrueWithAMemberOffLoopbackDoesNotStart() {
        String line = failedStartLine(c -> c.setMembers("jvm1=" + HOSTS[0] + ":" + portFor() + ",jvm2=192.0.2.7:"
                + portFor()));
        assertThat(line).contains("insecure=\"true\" but members [jvm2=192.0.2.7:" + portFor() + "] are not on loopback")
                .contains("insecure=\"trusted-network\"");
    }

    @Test
    void insecureTrustedNetworkStartsOffLoopbackAndSaysSoAtStart() throws Exception {
        try (LogCapture warnings = LogCapture.juli(SecureReplication.class, Level.WARNING)) {
            nodes.add(TestNode.start("jvm1", HOSTS[0], c -> {
                c.setMembers("jvm1=" + HOSTS[0] + ":" + portFor() + ",jvm2=192.0.2.7:" + portFor());
                c.setInsecure("trusted-network");
            }));
            assertThat(warnings.messages()).singleElement().asString().contains("PLAINTEXT")
                    .contains("insecure=\"trusted-network\"").contains("plant a logged-in session");
        }
        assertThat(nodes.get(0).cluster.getInsecure()).isEqualTo("trusted-network");
    }

    @Test
    void certificatesAndInsecureTogetherDoNotStart() throws Exception {
        ClusterPki.NodeMaterial material = TestPki.issue(TestPki.init(dir.resolve("tls")), "jvm1");
        String line = failedStartLine(c -> {
            TestPki.tls(material).accept(c);
            c.setInsecure("true");
        });
        assertThat(line).contains("insecure=\"true\" and certificateFile").contains("not both");
    }

    @Test
    void certificatesWithANestedChannelDoNotStart() throws Exception {
        ClusterPki.NodeMaterial material = TestPki.issue(TestPki.init(dir.resolve("tls")), "jvm1");
        String line = failedStartLine(c -> {
            TestPki.tls(material).accept(c);
            c.setChannel(new org.apache.catalina.tribes.group.GroupChannel());
        });
        assertThat(line).contains("nested <Channel> brings its own transport");
    }

    /** Stock managers read peers' session data without the allow-list: refused unless plaintext on loopback. */
    @Test
    void aStockDeltaManagerInATlsClusterDoesNotStart() throws Exception {
        ClusterPki.NodeMaterial material = TestPki.issue(TestPki.init(dir.resolve("tls")), "jvm1");
        String line = failedStartLine(c -> {
            TestPki.tls(material).accept(c);
            c.setManagerTemplate(new org.apache.catalina.ha.session.BackupManager());
        });
        assertThat(line).contains("<Manager className=\"org.apache.catalina.ha.session.BackupManager\"> deserializes "
                + "what peers send without the class allow-list");
    }

    @Test
    void aPlainNestedChannelWithoutPlaintextOnLoopbackDoesNotStart() {
        String line = failedStartLine(c -> {
            c.setInsecure("false");
            c.setChannel(new org.apache.catalina.tribes.group.GroupChannel());
        });
        assertThat(line).contains("a nested <Channel className=\"org.apache.catalina.tribes.group.GroupChannel\"> "
                + "deserializes what peers send without the class allow-list");
    }

    /** A context's own DeltaManager (context.xml) in a TLS cluster: the context runs, its sessions stay local. */
    @Test
    void aContextsOwnStockManagerIsNotRegisteredWithATlsCluster() throws Exception {
        ClusterPki.NodeMaterial material = TestPki.issue(TestPki.init(dir.resolve("tls")), "jvm1");
        TestNode node = TestNode.create("jvm1", HOSTS[0], c -> {
            c.setMembers(members());
            TestPki.tls(material).accept(c);
        });
        nodes.add(node);
        node.context.setManager(new org.apache.catalina.ha.session.DeltaManager());
        try (LogCapture errors = LogCapture.juli(RouteCluster.class, Level.SEVERE)) {
            node.tomcat.start();
            assertThat(errors.messages()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith(
                    "Not replicating this context: <Manager className=\"org.apache.catalina.ha.session.DeltaManager\">"
                            + " of context /app"));
        }
        assertThat(node.cluster.getManagers()).isEmpty();
    }

    @Test
    void anUnreadableKeyFileDoesNotStartAndNamesTheAttribute() throws Exception {
        ClusterPki.NodeMaterial material = TestPki.issue(TestPki.init(dir.resolve("tls")), "jvm1");
        String line = failedStartLine(c -> {
            TestPki.tls(material).accept(c);
            c.setCertificateKeyFile(dir.resolve("missing.key").toString());
        });
        assertThat(line).contains("certificateKeyFile: cannot read").contains("missing.key");
    }

    @Test
    void aMalformedAllowedClassesPatternStopsTheStart() {
        // server.xml's Digester would only log a setter's exception and run with the default allow-list.
        assertThat(failedStartLine(c -> c.setAllowedClasses("com.example.Good, org.example.*.Foo")))
                .isEqualTo("RouteCluster cannot start: allowedClasses: org.example.*.Foo (expected: com.example.Foo, "
                        + "com.example.*, com.example.** or com.example.Foo*)");
    }

    @Test
    void aPlaintextClusterWarnsAtEveryStart() throws Exception {
        for (int start = 0; start < 2; start++) {
            try (LogCapture warnings = LogCapture.juli(SecureReplication.class, Level.WARNING)) {
                startFirst("jvm1", c -> { }).close();
                assertThat(warnings.messages()).singleElement().asString().contains("PLAINTEXT")
                        .contains("insecure=\"true\"");
            }
        }
    }

    @Test
    void aCertificateThatExpiresSoonIsWarnedOfInTheLogAndOverJmx() throws Exception {
        ClusterPki.NodeMaterial material = TestPki.issue(TestPki.init(dir.resolve("tls")), "jvm1", Duration.ofDays(10));
        try (LogCapture warnings = LogCapture.juli(SecureReplication.class, Level.WARNING)) {
            nodes.add(startFirst("jvm1", c -> TestPki.tls(material).accept(c)));
            assertThat(warnings.messages()).singleElement().asString()
                    .contains("certificate CN=jvm1").contains("expires in 9 days");
        }
        MBeanServer server = Registry.getRegistry(null, null).getMBeanServer();
        ObjectName name = new ObjectName(nodes.get(0).cluster.getObjectName() + ",component=SecureReplication");
        assertThat((Boolean) server.getAttribute(name, "certificateExpiryWarning")).isTrue();
        assertThat((Long) server.getAttribute(name, "certificateExpiresInDays")).isEqualTo(9L);
    }

    private String members() {
        return "jvm1=" + HOSTS[0] + ":" + portFor() + ",jvm2=" + HOSTS[1] + ":" + portFor();
    }

    private int port;

    /**
     * Starts the first node (on {@link #HOSTS}[0]) of {@link #members()} on a port picked afresh; a start that
     * lost the port to another socket is retried on a new one (nothing else uses it yet).
     */
    private TestNode startFirst(String route, Consumer<RouteCluster> configure) throws Exception {
        return FreePorts.retryOnLostPort(started -> {
            port = 0;
            return TestNode.start(route, HOSTS[0], c -> {
                c.setMembers(members());
                configure.accept(c);
            });
        });
    }

    private int portFor() {
        if (port == 0) {
            port = FreePorts.on(HOSTS[0], HOSTS[1]);
        }
        return port;
    }

    private String failedStartLine(Consumer<RouteCluster> configure) {
        try (LogCapture errors = LogCapture.juli(RouteCluster.class, Level.SEVERE)) {
            assertThatThrownBy(() -> TestNode.start("jvm1", HOSTS[0], c -> {
                c.setMembers(members());
                configure.accept(c);
            }).close()).isInstanceOf(LifecycleException.class);
            assertThat(errors.messages()).hasSize(1);
            String line = errors.messages().get(0);
            assertThat(line).startsWith("RouteCluster cannot start: ").doesNotContain("\n");
            return line;
        }
    }
}
