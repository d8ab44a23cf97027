package io.jvmroute.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one Tomcat node of a test or demo cluster looks like: where it listens, its route, what goes into
 * its server.xml and lib/, and which webapps it serves.
 *
 * @param route          the Engine jvmRoute, or {@code null} to leave it out (a misconfigured node)
 * @param address        the loopback address it binds (127.0.0.x)
 * @param httpPort       its HTTP connector port
 * @param engineElements server.xml lines inside {@code <Engine>} (a Cluster, a Valve), or empty
 * @param hostElements   server.xml lines inside {@code <Host>}, or empty
 * @param libs           jars copied into the node's {@code lib/} (CATALINA_BASE/lib is on Tomcat's common loader)
 * @param webapps        context path name (without '/') to an exploded webapp directory
 * @param confFiles      files copied into the node's {@code conf/}, by path relative to it (TLS material)
 * @param heapMegabytes  the node's -Xmx
 * @param serviceElements server.xml lines inside {@code <Service>} after the HTTP connector (an AJP connector), or empty
 * @param jvmOptions     JVM options after the harness's own (later ones win: {@code -XX:TieredStopAtLevel=4} for C2)
 */
public record NodeSpec(String route, String address, int httpPort, String engineElements, String hostElements,
                       List<Path> libs, Map<String, Path> webapps, Map<String, Path> confFiles, int heapMegabytes,
                       String serviceElements, List<String> jvmOptions) {

    public NodeSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(engineElements, "engineElements");
        Objects.requireNonNull(hostElements, "hostElements");
        Objects.requireNonNull(serviceElements, "serviceElements");
        jvmOptions = List.copyOf(jvmOptions);
        libs = List.copyOf(libs);
        webapps = Map.copyOf(webapps);
        confFiles = Map.copyOf(confFiles);
        if (httpPort <= 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort: " + httpPort + " (expected: 1-65535)");
        }
    }

    /** A node with the demo webapp at {@code /demo}, nothing in its Engine, a 256 MB heap. */
    public static NodeSpec plain(String route, String address, int httpPort, Path demoWebapp) {
        return new NodeSpec(route, address, httpPort, "", "", List.of(), Map.of("demo", demoWebapp), Map.of(), 256, "", List.of());
    }

    public NodeSpec withEngineElements(String elements) {
        return new NodeSpec(route, address, httpPort, elements, hostElements, libs, webapps, confFiles, heapMegabytes, serviceElements, jvmOptions);
    }

    public NodeSpec withHostElements(String elements) {
        return new NodeSpec(route, address, httpPort, engineElements, elements, libs, webapps, confFiles, heapMegabytes, serviceElements, jvmOptions);
    }

    public NodeSpec withLibs(List<Path> jars) {
        return new NodeSpec(route, address, httpPort, engineElements, hostElements, jars, webapps, confFiles, heapMegabytes, serviceElements, jvmOptions);
    }

    public NodeSpec withConfFiles(Map<String, Path> files) {
        return new NodeSpec(route, address, httpPort, engineElements, hostElements, libs, webapps, files, heapMegabytes, serviceElements, jvmOptions);
    }

    /** An AJP/1.3 connector on the node's address and {@code port}, with this secret (as mod_jk's workers need). */
    public NodeSpec withAjpConnector(int port, String secret) {
        return new NodeSpec(route, address, httpPort, engineElements, hostElements, libs, webapps, confFiles, heapMegabytes,
                "    <Connector address=\"" + address + "\" port=\"" + port + "\" protocol=\"AJP/1.3\" secret=\""
                        + secret + "\" maxThreads=\"200\" />", jvmOptions);
    }

    public NodeSpec withJvm(int heap, List<String> options) {
        return new NodeSpec(route, address, httpPort, engineElements, hostElements, libs, webapps, confFiles, heap,
                serviceElements, options);
    }

    /** The name used for the node's folder and its log lines. */
    public String name() {
        return route != null ? route : "noroute-" + address;
    }
}
