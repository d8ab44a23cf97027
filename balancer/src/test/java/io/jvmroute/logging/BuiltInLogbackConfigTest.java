package io.jvmroute.logging;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balancer's built-in logback.xml starts quietly: nothing logged while SLF4J initialises, so no
 * {@code SLF4J(W): A number (19) of logging calls ... have been intercepted} lines open the operator's (and
 * the demo's) first screen. Runs in a fresh JVM, since this one's SLF4J started long ago with the test config.
 */
class BuiltInLogbackConfigTest {

    /** The fresh JVM: the first SLF4J call initialises logging from the built-in configuration. */
    public static void main(String[] args) {
        LoggerFactory.getLogger(BuiltInLogbackConfigTest.class).info("logging started");
    }

    @Test
    void theBuiltInConfigurationStartsWithoutSlf4jWarnings() throws Exception {
        Path config = Path.of("target/classes/logback.xml").toAbsolutePath(); // the main one, not logback-test.xml
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + config,
                BuiltInLogbackConfigTest.class.getName()).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("logging started").doesNotContain("SLF4J");
    }
}
