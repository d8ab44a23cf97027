package io.jvmroute.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The jar an operator copies into Tomcat's lib/ holds our Tomcat-side packages and nothing else. */
class DropInJarIT {

    private static final List<String> ALLOWED = List.of("io/jvmroute/route/", "io/jvmroute/membership/",
            "io/jvmroute/tls/", "io/jvmroute/valve/", "io/jvmroute/replication/");

    @Test
    void onlyTheValveReplicationAndRouteCoreAreInside() throws Exception {
        Path jar = Path.of(System.getProperty("jvmroute.dropin.jar"));
        List<String> classes = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = entry.getName();
                if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                if (ALLOWED.stream().anyMatch(name::startsWith)) {
                    classes.add(name);
                } else {
                    foreign.add(name);
                }
            }
        }

        assertThat(jar.getFileName().toString()).startsWith("jvmroute-tomcat-").endsWith(".jar");
        assertThat(foreign).as("entries outside our Tomcat-side packages").isEmpty();
        assertThat(classes).contains("io/jvmroute/valve/JvmRouteValve.class", "io/jvmroute/replication/RouteCluster.class",
                "io/jvmroute/route/SessionId.class", "io/jvmroute/valve/mbeans-descriptors.xml",
                "io/jvmroute/tls/PemFiles.class");
        // issuing certificates needs BouncyCastle, which has no place in Tomcat's lib/: only reading them is inside
        assertThat(classes).noneMatch(name -> name.startsWith("io/jvmroute/tls/ClusterPki"));
    }
}
