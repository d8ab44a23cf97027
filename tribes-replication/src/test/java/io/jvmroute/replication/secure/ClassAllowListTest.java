package io.jvmroute.replication.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.gadget.Recording;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.realm.GenericPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The allow-list as an ObjectInputFilter on real streams: what passes, what is refused, and when. */
class ClassAllowListTest {

    private final List<ClassAllowList.Rejection> rejections = new ArrayList<>();

    @BeforeEach
    void reset() {
        Recording.READS.set(0);
    }

    @Test
    void sessionValuesOfTheDefaultListAreRead() throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("userid", "alice");
        attributes.put("since", LocalDate.of(2026, 11, 27));
        attributes.put("roles", new ArrayList<>(List.of("user", "admin")));
        attributes.put("principal", new GenericPrincipal("alice", List.of("user")));
        attributes.put("bytes", new byte[] {1, 2, 3});
        Object read = null;
        try {
            read = read(ClassAllowList.of(null), attributes);
        } finally {
            assertThat(rejections).isEmpty();
        }
        assertThat(read).isInstanceOf(HashMap.class);
    }

    @Test
    void aClassOutsideTheListIsRefusedBeforeItsReadObjectRuns() throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("gadget", new Recording("nested in a map"));
        assertThatThrownBy(() -> read(ClassAllowList.of(null), attributes)).isInstanceOf(InvalidClassException.class);
        assertThat(Recording.READS).hasValue(0);
        assertThat(rejections).singleElement().extracting(ClassAllowList.Rejection::describe)
                .isEqualTo("class not allowed: com.example.gadget.Recording");
    }

    @Test
    void anArrayOfARefusedClassIsRefusedToo() {
        assertThatThrownBy(() -> read(ClassAllowList.of(null), new Recording[] {new Recording("in an array")}))
                .isInstanceOf(InvalidClassException.class);
        assertThat(Recording.READS).hasValue(0);
    }

    @Test
    void operatorPatternsAddPackagesSubpackagesClassesAndPrefixes() {
        ClassAllowList list = ClassAllowList.of("com.example.gadget.Recording, org.apache.cloudstack.**, com.acme.*, net.x.Foo*");
        assertThat(list.allows(Recording.class)).isTrue();
        assertThat(ClassAllowList.of(null).allows(Recording.class)).isFalse();
        assertThat(ClassAllowList.of("com.example.**").allows(Recording.class)).isTrue();
        assertThat(ClassAllowList.of("com.example.*").allows(Recording.class)).isFalse(); // a sub-package
        assertThat(ClassAllowList.of("com.example.gadget.*").allows(Recording.class)).isTrue();
        assertThat(ClassAllowList.of("com.example.gadget.Rec*").allows(Recording.class)).isTrue();
        assertThat(ClassAllowList.of(null).allows(java.util.logging.Level.class)).as("java.util is not java.util.**")
                .isFalse();
    }

    @Test
    void malformedPatternsAreRefusedNamingThem() {
        for (String bad : List.of("*", "com.*.Foo", "!com.example.Foo", "com.example.Foo;maxdepth=3", "a b")) {
            assertThatThrownBy(() -> ClassAllowList.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("allowedClasses: ");
        }
    }

    @Test
    void aGraphDeeperThanTheLimitIsRefusedAndCountedAsALimit() {
        List<Object> deep = new ArrayList<>();
        List<Object> current = deep;
        for (int i = 0; i < 30; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        ClassAllowList shallow = ClassAllowList.of(null).withLimits(20, 1_000, 1_000, 100_000);
        assertThatThrownBy(() -> read(shallow, (Serializable) deep)).isInstanceOf(InvalidClassException.class);
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.isLimit()).isTrue();
            assertThat(r.describe()).startsWith("limit exceeded: depth 21 > 20");
        });
    }

    @Test
    void anArrayLongerThanTheLimitIsRefused() {
        ClassAllowList small = ClassAllowList.of(null).withLimits(20, 1_000, 1_000, 1_000_000);
        assertThatThrownBy(() -> read(small, new String[5_000])).isInstanceOf(InvalidClassException.class);
        assertThat(rejections).singleElement().extracting(ClassAllowList.Rejection::describe)
                .isEqualTo("limit exceeded: array length 5000 > 1000");
    }

    /** A primitive array (a state-transfer batch's byte[]) may be as long as the byte limit, not longer. */
    @Test
    void aPrimitiveArrayIsBoundedByTheByteLimit() throws Exception {
        ClassAllowList small = ClassAllowList.of(null).withLimits(20, 1_000, 1_000, 10_000);
        assertThat(read(small, new byte[5_000])).isInstanceOf(byte[].class);
        assertThatThrownBy(() -> read(small, new byte[20_000])).isInstanceOf(InvalidClassException.class);
        assertThat(rejections).singleElement().extracting(ClassAllowList.Rejection::describe)
                .isEqualTo("limit exceeded: array length 20000 > 10000");
    }

    /** The defaults name exact classes: no URL (a DNS lookup per hashCode), no package of java.util. */
    @Test
    void theDefaultsAreExactClassesWithTightLimits() {
        ClassAllowList defaults = ClassAllowList.of(null);
        assertThat(defaults.allows(java.net.URL.class)).isFalse();
        assertThat(defaults.allows(java.util.PriorityQueue.class)).isFalse();
        assertThat(defaults.allows(java.util.concurrent.ThreadPoolExecutor.class)).isFalse();
        assertThat(defaults.allows(org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor.class)).isFalse();
        assertThat(ClassAllowList.DEFAULTS).allSatisfy(p -> assertThat(p).doesNotEndWith(".*").doesNotEndWith(".**"));
        assertThat(ClassAllowList.DEFAULT_MAX_DEPTH).isEqualTo(20);
        assertThat(ClassAllowList.DEFAULT_MAX_ARRAY).isEqualTo(65_536);
    }

    /** What a login and a FORM login put in a session, and java.time values, still pass the narrowed list. */
    @Test
    void loginValuesPassTheNarrowedDefaults() throws Exception {
        Map<String, Object> attributes = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        attributes.put("principal", new GenericPrincipal("alice", List.of("user", "admin")));
        attributes.put("when", java.time.Instant.parse("2026-12-06T05:00:00Z"));
        attributes.put("zone", java.time.ZonedDateTime.parse("2026-12-06T06:00:00+01:00[Europe/Paris]"));
        attributes.put("locales", java.util.Collections.unmodifiableList(new ArrayList<>(List.of(java.util.Locale.FRANCE))));
        attributes.put("ids", List.of(1L, 2L));
        attributes.put("cookie", new jakarta.servlet.http.Cookie("JSESSIONID", "x"));
        attributes.put("counts", new java.util.concurrent.ConcurrentHashMap<>(Map.of("a", new java.util.concurrent.atomic.AtomicLong(3))));
        Object read = null;
        try {
            read = read(ClassAllowList.of(null), (Serializable) attributes);
        } finally {
            assertThat(rejections).isEmpty();
        }
        assertThat(read).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys(attributes.keySet()).containsEntry("when", attributes.get("when"))
                .containsEntry("zone", attributes.get("zone")).containsEntry("ids", List.of(1L, 2L));
    }

    private Object read(ClassAllowList list, Object value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(list.filter(rejections::add));
            return in.readObject();
        }
    }
}
