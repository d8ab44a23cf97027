package io.jvmroute.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts plain Tomcat nodes with the demo webapp for scripts (the wrk benchmark): node {@code i} is route
 * {@code jvm<i>} on {@code 127.0.0.<10+i>:<port>}. Prints one {@code READY <route> <url>} line per node,
 * then runs until it is terminated, when it stops every node it started.
 *
 * <pre>java -cp integration-tests/target/classes io.jvmroute.harness.NodesMain TOMCAT_HOME WEBAPP WORK_DIR COUNT PORT [AJP_PORT SECRET]</pre>
 *
 * With {@code AJP_PORT SECRET} each node also has an AJP/1.3 connector on that port (the AJP13 benchmarks).
 */
public final class NodesMain {

    private NodesMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 7) {
            System.err.println("usage: NodesMain TOMCAT_HOME DEMO_WEBAPP WORK_DIR COUNT PORT [AJP_PORT SECRET]");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        Path webapp = Path.of(args[1]);
        Path work = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        int port = Integer.parseInt(args[4]);
        List<TomcatNode> nodes = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(TomcatNode::stop);
            stopped.countDown();
        }, "stop-nodes"));
        for (int i = 1; i <= count; i++) {
            NodeSpec spec = NodeSpec.plain("jvm" + i, "127.0.0." + (10 + i), port, webapp);
            if (args.length == 7) {
                spec = spec.withAjpConnector(Integer.parseInt(args[5]), args[6]);
            }
            TomcatNode node = TomcatNode.start(spec, home, work, "/demo/whoami.jsp");
            nodes.add(node);
            System.out.println("READY " + spec.route() + " " + node.uri("/demo/"));
        }
        stopped.await();
    }
}
