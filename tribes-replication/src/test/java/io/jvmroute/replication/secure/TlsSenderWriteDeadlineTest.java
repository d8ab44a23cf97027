package io.jvmroute.replication.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jvmroute.tls.ClusterPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.Test;

/** A peer that completes the TLS handshake and then stops reading cannot hold a sender forever. */
class TlsSenderWriteDeadlineTest {

    private static final String SENDER = "127.0.0.73";
    private static final String PEER = "127.0.0.74";

    @Test
    void aWriteToAPeerThatStoppedReadingEndsAndMarksItFaulty() throws Exception {
        ClusterPki pki = ClusterPki.init(Files.createTempDirectory("write-deadline").resolve("tls"), "test",
                ClusterPki.DEFAULT_CA_VALIDITY);
        ClusterPki.NodeMaterial jvm1 = pki.issue("jvm1", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY);
        ClusterPki.NodeMaterial jvm2 = pki.issue("jvm2", List.of(), ClusterPki.DEFAULT_NODE_VALIDITY);
        // The server side pins a client by IP address, the client side the server by address and port: the
        // peer's context knows the sender's IP now, the sender's the peer's port once it is bound.
        ClusterTls peerTls = load(jvm2, new PeerRoutes(Map.of(new InetSocketAddress(SENDER, 1), "jvm1")));
        try (SSLServerSocket server = (SSLServerSocket) peerTls.context().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName(PEER))) {
            int port = server.getLocalPort();
            PeerRoutes routes = new PeerRoutes(Map.of(new InetSocketAddress(SENDER, port), "jvm1",
                    new InetSocketAddress(PEER, port), "jvm2"));
            server.setSSLParameters(peerTls.parameters());
            // The peer: handshakes, then never reads (a frozen VM holding its socket open).
            CompletableFuture<Socket> stuck = CompletableFuture.supplyAsync(() -> {
                try {
                    SSLSocket socket = (SSLSocket) server.accept();
                    socket.startHandshake();
                    return socket;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TlsSender sender = new TlsSender(load(jvm1, routes), new SecurityMetrics(), InetAddress.getByName(SENDER));
            sender.start();
            try {
                Member[] peer = {new MemberImpl(PEER, port, 0)};
                // Far more than the socket buffers of both ends hold, so the write blocks once they are full.
                ChannelData frame = frame(new byte[32 * 1024 * 1024]);

                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
                        () -> sender.sendMessage(frame, peer))
                        .isInstanceOfSatisfying(ChannelException.class, e -> {
                            assertThat(e.getFaultyMembers()).hasSize(1);
                            assertThat(e.getFaultyMembers()[0].getCause()).isInstanceOf(SocketTimeoutException.class)
                                    .hasMessageContaining("the peer stopped reading");
                        }));
            } finally {
                sender.stop();
                stuck.thenAccept(s -> {
                    try {
                        s.close();
                    } catch (Exception e) {
                        // the test is over
                    }
                });
            }
        }
    }

    private static ChannelData frame(byte[] payload) throws Exception {
        ChannelData data = new ChannelData(true);
        data.setAddress(new MemberImpl(SENDER, 4000, 0));
        data.setOptions(Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK);
        data.setTimestamp(System.currentTimeMillis());
        data.setMessage(new XByteBuffer(payload, false));
        return data;
    }

    private static ClusterTls load(ClusterPki.NodeMaterial material, PeerRoutes routes) {
        return ClusterTls.load(material.certificateFile(), material.keyFile(), material.caCertificateFile(), routes,
                true);
    }
}
