package io.jvmroute.balancer.tcp;

import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import io.jvmroute.config.HostPort;
import io.jvmroute.config.WorkerDef;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SourceAffinityTest {

    private static WorkerState worker(String name) {
        return new WorkerState(WorkerDef.http(name, new HostPort("127.0.0.1", 1)));
    }

    @Test
    void removingAWorkerMovesOnlyItsOwnClients() throws Exception {
        List<WorkerState> three = List.of(worker("a"), worker("b"), worker("c"));
        List<WorkerState> withoutC = List.of(three.get(0), three.get(1));
        int moved = 0;
        for (int i = 0; i < 256; i++) {
            InetAddress source = InetAddress.getByAddress(new byte[] {10, 1, (byte) (i / 16), (byte) i});
            WorkerState before = SourceAffinity.order(three, source).get(0);
            WorkerState after = SourceAffinity.order(withoutC, source).get(0);
            if (before.name().equals("c")) {
                moved++;
            } else {
                assertThat(after).isSameAs(before);
            }
        }
        assertThat(moved).as("c's share of 256 sources").isBetween(50, 120);
    }

    @Test
    void drainingAndStoppedWorkersGetNoNewClientsAndDownOnesComeLast() throws Exception {
        WorkerState a = worker("a");
        WorkerState b = worker("b");
        WorkerState c = worker("c");
        WorkerState d = worker("d");
        b.activation(Activation.DISABLED);
        c.activation(Activation.STOPPED);
        d.markDown("connection refused");
        InetAddress source = InetAddress.getByName("192.0.2.7");

        assertThat(SourceAffinity.order(List.of(a, b, c, d), source)).containsExactly(a, d);
    }
}
