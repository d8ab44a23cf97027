package io.jvmroute.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's path through the distribution archive: unpack it, run bin/jvmroute as a shell would. */
class DistributionIT {

    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("jvmroute.dist.archive"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar xzf " + archive).isTrue();
        try (var entries = Files.list(dir)) {
            home = entries.filter(p -> p.getFileName().toString().startsWith("jvmroute-")).findFirst().orElseThrow();
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run jvmroute(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jvmroute").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void theArchiveHoldsTheCommandTheDropInJarAndTheTemplates() {
        assertThat(home.resolve("bin/jvmroute")).isExecutable();
        assertThat(home.resolve("tomcat-lib")).isDirectoryContaining("glob:**/jvmroute-tomcat-*.jar");
        assertThat(home.resolve("templates")).isDirectoryContaining("glob:**/server-fragment.xml")
                .isDirectoryContaining("glob:**/workers.properties").isDirectoryContaining("glob:**/jvmroute-balancer.service");
    }

    /** A package wildcard in the template would be copied into production allow-lists: exact names only. */
    @Test
    void theTemplateAllowListNamesExactClasses() throws Exception {
        String template = java.nio.file.Files.readString(home.resolve("templates/server-fragment.xml"));
        java.util.regex.Matcher allowed = java.util.regex.Pattern.compile("allowedClasses=\"([^\"]*)\"").matcher(template);
        assertThat(allowed.find()).as(template).isTrue();
        assertThat(allowed.group(1).split(",")).isNotEmpty()
                .allSatisfy(name -> assertThat(name.strip()).matches("[\\w.$]+").doesNotContain("*"));
    }

    @Test
    void theCommandListsItsSubcommands() throws Exception {
        Run help = jvmroute("--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("balancer", "check", "gen", "decode", "tls");
    }

    @Test
    void genThenCheckFromTheArchiveAgree() throws Exception {
        Path out = dir.resolve("cluster");

        Run gen = jvmroute("gen", "--routes", "jvm1=127.0.0.11,jvm2=127.0.0.12", "--out", out.toString());
        Run check = jvmroute("check", out.resolve("jvm1/server.xml").toString(), out.resolve("jvm2/server.xml").toString(),
                out.resolve("workers.properties").toString());

        assertThat(gen.exitCode()).as(gen.output()).isZero();
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("ok: 3 file(s)");
    }

    @Test
    void decodeExplainsACookieHeader() throws Exception {
        Run decode = jvmroute("decode", "Cookie: a=1; JSESSIONID=4F2A9C.jvm2");

        assertThat(decode.output()).contains("base=4F2A9C route=jvm2");
    }
}
