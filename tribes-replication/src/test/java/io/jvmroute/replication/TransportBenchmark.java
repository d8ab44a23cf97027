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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.ChannelReceiver;
import org.apache.catalina.tribes.ChannelSender;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.MessageListener;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.membership.MemberImpl;
import org.apache.catalina.tribes.transport.ReplicationTransmitter;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The transports alone, in one JVM: 4 threads send 1 KiB frames with synchronized acks (as the replication
 * lanes do) through Tomcat's NIO transport and through the TLS one, alternating, each 3 times. Prints frames/s
 * the mean round trip and the CPU both ends spent per frame. Not part of the build:
 *
 * <pre>./mvnw -o -pl tribes-replication test -Dtest=TransportBenchmark -Dbench=true</pre>
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class TransportBenchmark {

    private static final String SENDER = "127.0.0.61";
    private static final String RECEIVER = "127.0.0.62";
    private static final int THREADS = 4;
    private static final int FRAMES_PER_THREAD = 5_000;

    @Test
    void framesPerSecondNioVersusTls() throws Exception {
        Path dir = Files.createTempDirectory("bench-transport").resolve("tls");
        ClusterPki pki = TestPki.init(dir);
        ClusterPki.NodeMaterial jvm1 = TestPki.issue(pki, "jvm1");
        ClusterPki.NodeMaterial jvm2 = TestPki.issue(pki, "jvm2");
        List<String> results = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            results.add("round " + round + " nio " + run(false, jvm1, jvm2));
            results.add("round " + round + " tls " + run(true, jvm1, jvm2));
        }
        results.forEach(r -> System.out.println("BENCH transport " + r));
    }

    private static String run(boolean tls, ClusterPki.NodeMaterial jvm1, ClusterPki.NodeMaterial jvm2)
            throws Exception {
        int port = FreePorts.on(SENDER, RECEIVER);
        Map<InetSocketAddress, String> routes = Map.of(new InetSocketAddress(SENDER, port), "jvm1",
                new InetSocketAddress(RECEIVER, port), "jvm2");
        AtomicLong received = new AtomicLong();
        ChannelReceiver receiver;
        ChannelSender sender;
        if (tls) {
            receiver = new TlsReceiver(load(jvm2, routes), new SecurityMetrics(), RECEIVER, port, true);
            sender = new TlsSender(load(jvm1, routes), new SecurityMetrics(), InetAddress.getByName(SENDER));
        } else {
            NioReceiver nio = new NioReceiver();
            nio.setAddress(RECEIVER);
            nio.setPort(port);
            nio.setAutoBind(1);
            receiver = nio;
            sender = new ReplicationTransmitter();
        }
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
        GroupChannel channel = new GroupChannel();
        channel.setName("bench");
        receiver.setChannel(channel);
        sender.setChannel(channel);
        receiver.start();
        sender.start();
        Member[] destination = {new MemberImpl(RECEIVER, port, 0)};
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            send(sender, destination, threads, 500); // warm-up: connections, JIT
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            send(sender, destination, threads, FRAMES_PER_THREAD);
            long nanos = System.nanoTime() - start;
            long cpuNanos = os.getProcessCpuTime() - cpuStart;
            long frames = (long) THREADS * FRAMES_PER_THREAD;
            assertThat(received.get()).isEqualTo(frames + THREADS * 500L);
            // CPU of both ends (one process): what a CPU-bound node pays per frame, beyond the latency.
            return String.format("frames/s=%.0f meanRoundTripMicros=%.0f cpuMicrosPerFrame=%.1f",
                    frames * 1e9 / nanos, nanos / 1e3 / FRAMES_PER_THREAD, cpuNanos / 1e3 / frames);
        } finally {
            threads.shutdownNow();
            sender.stop();
            receiver.stop();
        }
    }

    private static void send(ChannelSender sender, Member[] destination, ExecutorService threads, int perThread)
            throws Exception {
        byte[] payload = new byte[1024];
        Arrays.fill(payload, (byte) 'x');
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                Member self = new MemberImpl(SENDER, 4000, 0);
                for (int i = 0; i < perThread; i++) {
                    ChannelData data = new ChannelData(true);
                    data.setAddress(self);
                    data.setOptions(Channel.SEND_OPTIONS_USE_ACK | Channel.SEND_OPTIONS_SYNCHRONIZED_ACK);
                    data.setTimestamp(System.currentTimeMillis());
                    data.setMessage(new XByteBuffer(payload, false));
                    sender.sendMessage(data, destination);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    private static ClusterTls load(ClusterPki.NodeMaterial material, Map<InetSocketAddress, String> routes) {
        return ClusterTls.load(material.certificateFile(), material.keyFile(), material.caCertificateFile(),
                new PeerRoutes(routes), true);
    }
}
