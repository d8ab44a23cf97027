package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.replication.secure.ClusterTls;
import io.jvmroute.replication.secure.PeerRoutes;
import io.jvmroute.replication.secure.SecurityMetrics;
import io.jvmroute.replication.secure.TlsReceiver;
import io.jvmroute.replication.secure.TlsSender;
import io.jvmroute.testsupport.FreePorts;
import io.jvmroute.tls.ClusterPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.MessageListener;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.junit.jupiter.api.Test;

/** The TLS sender and receiver alone, without a cluster around them. */
class TlsSenderTest {

    private static final String SENDER = "127.0.0.71";
    private static final String RECEIVER = "127.0.0.72";

    /**
     * The peer restarts between two sends and nobody told the sender (no membership change): its pooled
     * connection is dead, and the second frame must still be delivered and acknowledged, once.
     */
    @Test
    void aFrameToAPeerThatRestartedGoesAgainOnAFreshConnectionOnce() throws Exception {
        ClusterPki pki = TestPki.init(Files.createTempDirectory("tls-sender").resolve("tls"));
        ClusterPki.NodeMaterial jvm1 = TestPki.issue(pki, "jvm1");
        ClusterPki.NodeMaterial jvm2 = TestPki.issue(pki, "jvm2");
        AtomicInteger received = new AtomicInteger();
        int[] picked = new int[1];
        TlsReceiver first = FreePorts.retryOnLostPort(started -> {
            picked[0] = FreePorts.on(SENDER, RECEIVER);
            return receiver(jvm2, routes(picked[0]), picked[0], received);
        });
        int port = picked[0];
        PeerRoutes routes = routes(port);
        TlsSender sender = new TlsSender(load(jvm1, routes), new SecurityMetrics(), InetAddress.getByName(SENDER));
        sender.start();
        Member[] peer = {new MemberImpl(RECEIVER, port, 0)};
        try {
            sender.sendMessage(frame("one"), peer);
        } finally {
            first.stop();
        }
        TlsReceiver second = receiver(jvm2, routes, port, received);
        try {
            sender.sendMessage(frame("two"), peer); // throws ChannelException if the dead connection was used
            assertThat(received).hasValue(2);
        } finally {
            second.stop();
            sender.stop();
        }
    }

    private static PeerRoutes routes(int port) {
        return new PeerRoutes(Map.of(new InetSocketAddress(SENDER, port), "jvm1", new InetSocketAddress(RECEIVER, port),
                "jvm2"));
    }

    private static TlsReceiver receiver(ClusterPki.NodeMaterial material, PeerRoutes routes, int port,
            AtomicInteger received) throws Exception {
        TlsReceiver receiver = new TlsReceiver(load(material, routes), new SecurityMetrics(), RECEIVER, port, true);
        receiver.setMessageListener(new MessageListener() {
            @Override
            public void messageReceived(ChannelMessage msg) {
                received.incrementAndGet();
            }

            @Override
            public boolean accept(ChannelMessage msg) {
                return true;
            }
        });
        receiver.start();
        return receiver;
    }

    private static ChannelData frame(String text) throws Exception {
        ChannelData data = new ChannelData(true);
        MemberImpl from = new MemberImpl(SENDER, 4000, 0); // who the frame says it is from: jvm1, as its certificate
        from.setPayload(io.jvmroute.membership.MemberPayload.of("jvm1", io.jvmroute.membership.MemberState.ACTIVE)
                .encode());
        from.setUniqueId(io.jvmroute.replication.secure.MemberIds.of("jvm1"));
        data.setAddress(from);
        data.setOptions(Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK);
        data.setTimestamp(System.currentTimeMillis());
        data.setMessage(new XByteBuffer(XByteBuffer.serialize(text), false));
        return data;
    }

    private static ClusterTls load(ClusterPki.NodeMaterial material, PeerRoutes routes) {
        return ClusterTls.load(material.certificateFile(), material.keyFile(), material.caCertificateFile(), routes,
                true);
    }
}
