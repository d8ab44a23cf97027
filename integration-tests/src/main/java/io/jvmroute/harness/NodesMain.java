package io.jvmroute.harness;

import io.jvmroute.demo.ReplicatedNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * Starts real Tomcat nodes with a webapp at {@code /demo} for scripts (the benchmarks): node {@code i} is route
 * {@code jvm<i>} on {@code 127.0.0.<10+i>}, every node on the same free port. Prints one
 * {@code READY <route> <host:port> pid=<pid> ajp=<port or ->} line per node, then runs until it is terminated,
 * when it stops every node still alive. A script may {@code kill -9} a node by its pid.
 *
 * <pre>java -cp integration-tests/target/classes:DEPS io.jvmroute.harness.NodesMain TOMCAT_HOME WEBAPP WORK_DIR COUNT
 *     [--ajp SECRET] [--replicated DROPIN_JAR] [--heap MB] [--jvm OPTION]...</pre>
 *
 * {@code --ajp} adds an AJP/1.3 connector with that secret on one more free port (for mod_jk and the balancer's
 * ajp13 workers); {@code --replicated} configures RouteCluster over mutual
 * TLS and the valve as {@code jvmroute gen} writes them; {@code --jvm} adds a JVM option to every node.
 */
public final class NodesMain {

    private static final String USAGE = "usage: NodesMain TOMCAT_HOME WEBAPP WORK_DIR COUNT [--ajp SECRET] [--replicated DROPIN_JAR]"
            + " [--heap MB] [--jvm OPTION]...";

    private NodesMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            usage("missing arguments");
        }
        Path home = Path.of(args[0]);
        Path webapp = Path.of(args[1]);
        Path work = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        String ajpSecret = null;
        Path dropin = null;
        int heap = 256;
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            switch (args[i]) {
                case "--ajp" -> ajpSecret = value(args, ++i);
                case "--replicated" -> dropin = Path.of(value(args, ++i));
                case "--heap" -> heap = Integer.parseInt(value(args, ++i));
                case "--jvm" -> jvmOptions.add(value(args, ++i));
                default -> usage("unknown option " + args[i]);
            }
        }
        Map<String, String> addresses = ReplicatedNodes.addresses(count);
        String secret = ajpSecret;
        int ajpPort = secret != null ? ReplicatedNodes.commonFreePort(addresses) : -1;
        int finalHeap = heap;
        UnaryOperator<NodeSpec> customise = spec -> {
            NodeSpec tuned = spec.withJvm(finalHeap, jvmOptions);
            return ajpPort < 0 ? tuned : tuned.withAjpConnector(ajpPort, secret);
        };
        List<TomcatNode> nodes = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (nodes) {
                nodes.forEach(TomcatNode::stop);
            }
            stopped.countDown();
        }, "stop-nodes"));
        if (dropin != null) {
            ReplicatedNodes cluster = ReplicatedNodes.start(count, home, webapp, dropin, work, customise);
            synchronized (nodes) {
                nodes.addAll(cluster.nodes());
            }
        } else {
            int port = ReplicatedNodes.commonFreePort(addresses);
            for (Map.Entry<String, String> node : addresses.entrySet()) {
                NodeSpec spec = customise.apply(NodeSpec.plain(node.getKey(), node.getValue(), port, webapp));
                TomcatNode started = TomcatNode.start(spec, home, work, "/demo/whoami.jsp");
                synchronized (nodes) {
                    nodes.add(started);
                }
            }
        }
        for (TomcatNode node : nodes) {
            System.out.println("READY " + node.spec().route() + " " + node.spec().address() + ":" + node.spec().httpPort()
                    + " pid=" + node.pid() + " ajp=" + (ajpPort < 0 ? "-" : Integer.toString(ajpPort)));
        }
        System.out.flush();
        stopped.await();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem + "\n" + USAGE);
        System.exit(2);
    }
}
