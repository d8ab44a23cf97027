package io.jvmroute.balancer;

import io.jvmroute.config.BalancerSettings;
import io.jvmroute.config.ConfigException;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options table of balancer/README.md is the one place operators read the keys: it must name exactly
 * the keys the parser reads ({@link WorkersPropertiesParser}'s key sets, {@link BalancerSettings#KEYS}) and
 * give their real defaults. A default written as a value ({@code `1s`}) must parse to what an unset key gives;
 * {@code none} on a {@code balancer.} key must equal an empty value; other defaults are prose.
 */
class OptionsTableTest {

    /** A row: | `key` | default | units | what it does | */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\|[^|]+\\|[^|]+\\|$");
    private static final Pattern LITERAL = Pattern.compile("^`([^`]*)`$");

    /** Placeholders of the table's keys, and the worker of {@link #BASE} each stands for. */
    private static final Map<String, String> WORKERS = Map.of("<lb>", "wlb", "<w>", "jvm1", "<status>", "jk-status",
            "<name>", "jvm1");

    /** The smallest file the balancer serves: every key the table lists is left at its default. */
    private static final String BASE = """
            worker.list=wlb,jk-status
            worker.wlb.type=lb
            worker.wlb.balance_workers=jvm1
            worker.jvm1.http_port=8080
            worker.jk-status.type=status
            """;

    private static Map<String, String> table() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("\n## Options\n"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        for (String line : section.split("\n")) {
            Matcher row = ROW.matcher(line.trim());
            if (row.matches()) {
                assertThat(rows.put(row.group(1), row.group(2).trim())).as("a second row for " + row.group(1)).isNull();
            }
        }
        return rows;
    }

    private static Set<String> keysTheParserReads() {
        Set<String> keys = new TreeSet<>();
        keys.add("worker.list");
        keys.add("worker.<name>.type"); // every kind of worker has one
        WorkersPropertiesParser.LB_KEYS.stream().filter(k -> !k.equals("type")).forEach(k -> keys.add("worker.<lb>." + k));
        WorkersPropertiesParser.MEMBER_KEYS.stream().filter(k -> !k.equals("type")).forEach(k -> keys.add("worker.<w>." + k));
        WorkersPropertiesParser.STATUS_KEYS.stream().filter(k -> !k.equals("type")).forEach(k -> keys.add("worker.<status>." + k));
        BalancerSettings.KEYS.forEach(k -> keys.add("balancer." + k));
        return keys;
    }

    @Test
    void theTableNamesEveryKeyTheParserReadsAndNoOther() throws Exception {
        assertThat(new TreeSet<>(table().keySet())).isEqualTo(keysTheParserReads());
    }

    @Test
    void everyDefaultInTheTableIsWhatTheParserGivesAnUnsetKey() throws Exception {
        WorkersConfig unset = parse(BASE);
        int checked = 0;
        for (Map.Entry<String, String> row : table().entrySet()) {
            String key = row.getKey();
            Matcher literal = LITERAL.matcher(row.getValue());
            String value;
            if (literal.matches()) {
                value = literal.group(1);
            } else if (row.getValue().equals("none") && key.startsWith("balancer.")) {
                value = "";
            } else {
                continue; // prose: "the worker's name", "none (required)"
            }
            String line = key;
            for (Map.Entry<String, String> w : WORKERS.entrySet()) {
                line = line.replace(w.getKey(), w.getValue());
            }
            WorkersConfig set = parse(BASE + line + "=" + value + "\n");
            assertThat(set.settings()).as(key + " = " + row.getValue()).isEqualTo(unset.settings());
            assertThat(set.lb()).as(key + " = " + row.getValue()).isEqualTo(unset.lb());
            assertThat(set.workers()).as(key + " = " + row.getValue()).isEqualTo(unset.workers());
            assertThat(set.status()).as(key + " = " + row.getValue()).isEqualTo(unset.status());
            checked++;
        }
        assertThat(checked).as("defaults checked").isGreaterThan(30);
    }

    private static WorkersConfig parse(String text) throws ConfigException {
        return WorkersPropertiesParser.parse("workers.properties", text);
    }
}
