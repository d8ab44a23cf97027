package io.jvmroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Property-based fuzzing (issue 16) of the workers.properties parser, 10 000 generated files: lines built from
 * the keys it knows and the shapes operators write (continuations, escapes, comments, repeated keys, odd values,
 * control characters, long values), then mutated. Whatever the file says, parsing gives a configuration or a
 * {@link ConfigException} whose every problem names the file; nothing else escapes, and a file it accepts has
 * an lb with members.
 */
class WorkersPropertiesFuzzTest {

    private static final List<String> KEYS = List.of("worker.list", "worker.wlb.type", "worker.wlb.balance_workers",
            "worker.wlb.balanced_workers", "worker.wlb.sticky_session", "worker.wlb.sticky_session_force",
            "worker.wlb.method", "worker.wlb.session_cookie", "worker.wlb.session_path", "worker.jvm1.type",
            "worker.jvm1.host", "worker.jvm1.port", "worker.jvm1.http_port", "worker.jvm1.lbfactor",
            "worker.jvm1.activation", "worker.jvm1.route", "worker.jvm1.domain", "worker.jvm1.redirect",
            "worker.jvm1.distance", "worker.jvm1.fail_on_status", "worker.jvm2.type", "worker.jvm2.port",
            "worker.jvm2.route", "worker.jvm2.redirect", "worker.stat.type", "worker.stat.read_only", "balancer.lb",
            "balancer.listen", "balancer.admin.listen", "balancer.health.interval", "balancer.retries",
            "balancer.retry_buffer", "balancer.max_header_size", "balancer.trusted_proxies", "balancer.failover_header",
            "balancer.tls.cert", "balancer.head_timeout", "balancer.max_clients", "balancer.admin.hosts", "worker..x",
            "worker.", "balancer.", "x", "");
    private static final List<String> VALUES = List.of("wlb", "jvm1,jvm2", "jvm1, jvm2 ,,", "lb", "http", "ajp13",
            "status", "1", "0", "true", "maybe", "B", "Session", "8080", "65536", "-1", "99999999999999999999", "2s",
            "0ms", "1m", "250", "127.0.0.1:0", ":8080", "[::1]:1", "10.0.0.0/8", "D", "S", "jvm1", "jvm2", "a.b",
            "a..b", "X-Failover", "bad header", "", " ", "\\u0041", "\\", "${x}", "\u0000", "é", "jvm1\\\n  ,jvm2");

    private static final String MUTANTS = "=:\\\n\r #!.,\u0000\u00ff";

    @Property(tries = 10_000)
    void anyFileGivesAConfigurationOrAConfigException(@ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder file = new StringBuilder();
        if (random.nextInt(4) > 0) { // most files start from a valid one, so that the deeper checks are reached
            file.append("worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=jvm1,jvm2\n")
                    .append("worker.jvm1.type=http\nworker.jvm2.type=http\nworker.jvm2.port=8081\n");
        }
        int lines = random.nextInt(12);
        for (int i = 0; i < lines; i++) {
            String sep = List.of("=", " = ", ":", " ", "\t=").get(random.nextInt(5));
            String prefix = List.of("", "", "", "# ", "! ", "  ").get(random.nextInt(6));
            String value = VALUES.get(random.nextInt(VALUES.size()));
            if (random.nextInt(20) == 0) {
                value = value.repeat(1 + random.nextInt(2000));
            }
            file.append(prefix).append(KEYS.get(random.nextInt(KEYS.size()))).append(sep).append(value)
                    .append(random.nextInt(10) == 0 ? "\r\n" : "\n");
        }
        String text = mutate(file.toString(), random);

        try {
            WorkersConfig config = WorkersPropertiesParser.parse("fuzz.properties", text);
            assertThat(config.lb().members()).isNotEmpty();
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("fuzz.properties"));
        }
    }

    private static String mutate(String text, Random random) {
        StringBuilder sb = new StringBuilder(text);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 1; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.setCharAt(at, MUTANTS.charAt(random.nextInt(MUTANTS.length())));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, sb.charAt(at));
            }
        }
        return sb.toString();
    }
}
