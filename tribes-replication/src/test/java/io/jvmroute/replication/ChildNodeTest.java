package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmroute.testsupport.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A node in a JVM of its own tells the test why it did not start, so a lost port is retried there too. */
class ChildNodeTest {

    private static final String A = "127.0.0.91";
    private static final String B = "127.0.0.92";

    @Test
    void aChildNodeWhosePortWasTakenSaysSoAndCountsAsALostPort() throws Exception {
        int port = FreePorts.on(A, B);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(A, port));

            assertThatThrownBy(() -> ChildNode.start("jvm1", A, "jvm1=" + A + ":" + port + ",jvm2=" + B + ":" + port,
                    "userid")).isInstanceOf(IOException.class)
                    .hasMessageContaining("child node jvm1 did not start")
                    .hasMessageContaining("port " + port + " on " + A + " is in use")
                    .satisfies(failure -> assertThat(FreePorts.isLostPort(failure)).isTrue());
        }
    }
}
