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
        Object read = read(ClassAllowList.of(null), attributes);
        assertThat(read).isInstanceOf(HashMap.class);
        assertThat(rejections).isEmpty();
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
        assertThatThrownBy(() -> read(small, new byte[5_000])).isInstanceOf(InvalidClassException.class);
        assertThat(rejections).singleElement().extracting(ClassAllowList.Rejection::describe)
                .isEqualTo("limit exceeded: array length 5000 > 1000");
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
