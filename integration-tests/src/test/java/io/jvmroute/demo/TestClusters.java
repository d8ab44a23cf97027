package io.jvmroute.demo;

import io.jvmroute.harness.FreePort;
import java.nio.file.Path;

/** Starts the demo's cluster for a test, with the paths failsafe passes and free balancer ports. */
final class TestClusters {

    private TestClusters() {
    }

    static DemoCluster start(String testName, int nodes) throws Exception {
        return start(testName, nodes, false);
    }

    /** @param ajp the balancer speaks AJP13 to the nodes */
    static DemoCluster start(String testName, int nodes, boolean ajp) throws Exception {
        return DemoCluster.start(options(testName, nodes, ajp));
    }

    /** The options of a test's cluster: the distribution, webapp and jar failsafe passes, free balancer ports. */
    static DemoCluster.Options options(String testName, int nodes) {
        return options(testName, nodes, false);
    }

    static DemoCluster.Options options(String testName, int nodes, boolean ajp) {
        return new DemoCluster.Options(nodes,
                Path.of(System.getProperty("jvmroute.tomcat.home")),
                Path.of(System.getProperty("jvmroute.demo.webapp")),
                Path.of(System.getProperty("jvmroute.dropin.jar")),
                Path.of(System.getProperty("jvmroute.work.dir"), testName),
                "127.0.0.1:" + FreePort.on("127.0.0.1"), "127.0.0.1:" + FreePort.on("127.0.0.1"), ajp);
    }
}
