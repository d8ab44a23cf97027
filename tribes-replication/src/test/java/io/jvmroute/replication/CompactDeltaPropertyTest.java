package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmroute.replication.secure.ClassAllowList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.catalina.ha.session.DeltaRequest;

/**
 * Fuzzing of {@link CompactDeltaInput} as {@code DeltaRequest.readExternal} reads it (the session changes a peer
 * sends): random bytes behind the magic, and genuine compact deltas changed. Only the parser's refusal (an
 * {@link IOException}, or {@link ClassNotFoundException} from the allow-listed tail) may come out; allocation
 * stays proportional to the input; nothing hangs.
 */
class CompactDeltaPropertyTest {

    private static final ClassAllowList ALLOW_LIST = ClassAllowList.of(null);

    @Property(tries = 10_000)
    void randomBytesBehindTheMagicAreReadOrRefused(@ForAll @Size(max = 2_000) byte[] tail) {
        byte[] magic = CompactDeltaOutput.MAGIC;
        byte[] data = new byte[magic.length + tail.length];
        System.arraycopy(magic, 0, data, 0, magic.length);
        System.arraycopy(tail, 0, data, magic.length, tail.length);
        assertReadOrRefused(data);
    }

    @Property(tries = 10_000)
    void changedGenuineDeltasAreReadOrRefused(@ForAll("deltas") byte[] genuine,
            @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll byte value,
            @ForAll @IntRange(min = 0, max = 3) int change) {
        assertReadOrRefused(LaneFramePropertyTest.mutate(genuine, at, value, change));
    }

    @Provide
    Arbitrary<byte[]> deltas() {
        Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE, java.time.LocalDate.of(2026, 12, 6)).map(o -> (Object) o),
                Arbitraries.strings().ofMaxLength(5).list().ofMaxSize(3).map(l -> (Object) new java.util.ArrayList<>(l)));
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10), value).ofMaxSize(5)
                .map(attributes -> {
                    RouteDeltaRequest delta = new RouteDeltaRequest("abc.jvm1", false);
                    attributes.forEach(delta::setAttribute);
                    try {
                        return delta.serialize();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static void assertReadOrRefused(byte[] data) {
        Exception thrown = Allocation.bounded(1024L * 1024 + 64L * data.length, () -> {
            try (CompactDeltaInput in = new CompactDeltaInput(data, CompactDeltaPropertyTest::filtered)) {
                new DeltaRequest().readExternal(in);
            }
        });
        if (thrown != null) {
            assertThat(thrown).isInstanceOfAny(IOException.class, ClassNotFoundException.class);
        }
    }

    private static ObjectInputStream filtered(byte[] data, int offset, int length) throws IOException {
        ObjectInputStream stream = new ObjectInputStream(new ByteArrayInputStream(data, offset, length));
        stream.setObjectInputFilter(ALLOW_LIST.filter(rejection -> { }));
        return stream;
    }
}
