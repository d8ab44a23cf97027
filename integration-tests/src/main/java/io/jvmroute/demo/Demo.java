package io.jvmroute.demo;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The README's "run the main job": a cluster of real Tomcat nodes behind the balancer on this machine, until
 * Ctrl-C. Started by {@code ./demo.sh [--nodes 3]}, which builds what it needs and passes the paths.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length == 2 && args[0].equals("--nodes") ? Integer.parseInt(args[1]) : 2;
        if (count < 2 || count > 3 || (args.length != 0 && args.length != 2)) {
            System.err.println("usage: demo.sh [--nodes 2|3]");
            System.exit(2);
        }
        DemoCluster.Options options = new DemoCluster.Options(count,
                Path.of(System.getProperty("jvmroute.tomcat.home")),
                Path.of(System.getProperty("jvmroute.demo.webapp")),
                Path.of(System.getProperty("jvmroute.dropin.jar")),
                Path.of(System.getProperty("jvmroute.work.dir")),
                "127.0.0.1:8000", "127.0.0.1:8001");
        System.out.println("Starting " + count + " Tomcat nodes (replicating over mutual TLS) and the balancer…");
        DemoCluster cluster = DemoCluster.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the balancer and the nodes…");
            cluster.close();
            stopped.countDown();
        }, "demo-stop"));
        System.out.println();
        System.out.println("jvmroute demo is running:");
        System.out.println("  the app, through the balancer:  " + cluster.demoUri());
        System.out.println("  the balancer's status page:     " + cluster.statusUri());
        cluster.nodes().forEach(n -> System.out.println("  node " + n.spec().route() + " (pid " + n.pid() + "):  "
                + n.uri("/demo/") + "   logs: " + n.base().resolve("logs")));
        System.out.println();
        System.out.println("Try it: open the app, log in, and note which node served the page. Then kill that node:");
        System.out.println("  kill -9 <its pid, above>");
        System.out.println("and reload: you are still logged in, served by another node. Ctrl-C stops everything.");
        stopped.await();
    }
}
