package io.jvmroute.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published key sets ({@link WorkersPropertiesParser#MEMBER_KEYS} and the others, which the balancer's
 * options table is checked against) say what the parser really reads: a listed key is never reported as
 * ignored, an unlisted one is.
 */
class WorkersPropertiesParserKeysTest {

    private static final String BASE = """
            worker.list=wlb,jk-status
            worker.wlb.type=lb
            worker.wlb.balance_workers=jvm1
            worker.jvm1.http_port=8080
            worker.jk-status.type=status
            """;

    /**
     * Whether the parser reads {@code key}: set to a value that is wrong for most keys, a read key is either
     * taken or refused with its name, an unread one is reported as ignored.
     */
    private static boolean read(String key) {
        try {
            List<String> warnings = WorkersPropertiesParser.parse("workers.properties", BASE + key + "=jvm1\n").warnings();
            return warnings.stream().noneMatch(w -> w.contains(key));
        } catch (ConfigException e) {
            return e.problems().stream().anyMatch(p -> p.contains(key));
        }
    }

    private static void assertEveryKeyIsRead(String prefix, Set<String> keys) {
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            if (!key.equals("type")) { // every worker of BASE is read by its type already
                assertThat(read(prefix + key)).as(prefix + key).isTrue();
            }
        }
    }

    @Test
    void everyListedMemberKeyIsRead() {
        assertEveryKeyIsRead("worker.jvm1.", WorkersPropertiesParser.MEMBER_KEYS);
    }

    @Test
    void everyListedLbKeyIsRead() {
        assertEveryKeyIsRead("worker.wlb.", WorkersPropertiesParser.LB_KEYS);
    }

    @Test
    void everyListedStatusKeyIsRead() {
        assertEveryKeyIsRead("worker.jk-status.", WorkersPropertiesParser.STATUS_KEYS);
    }

    @Test
    void everyListedBalancerKeyIsRead() {
        assertEveryKeyIsRead("balancer.", BalancerSettings.KEYS);
    }

    @Test
    void anUnlistedKeyIsReportedAsIgnored() {
        assertThat(read("worker.jvm1.socket_timeout")).isFalse();
        assertThat(read("worker.wlb.retries")).isFalse();
        assertThat(read("worker.jk-status.css")).isFalse();
        assertThat(read("balancer.listen_backlog")).isFalse();
    }
}
