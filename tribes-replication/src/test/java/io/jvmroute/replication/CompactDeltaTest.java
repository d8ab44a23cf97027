package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.example.gadget.Recording;
import io.jvmroute.replication.secure.ClassAllowList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.ha.session.DeltaRequest;
import org.apache.catalina.realm.GenericPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compact delta format: what goes in comes out exactly (checked by writing both requests in Tomcat's own
 * format and comparing the bytes), values outside the fast path go through the allow-listed stream and only
 * they do, and malformed bytes end in an {@link IOException}, nothing else.
 */
class CompactDeltaTest {

    private final AtomicInteger streamsOpened = new AtomicInteger();

    @BeforeEach
    void reset() {
        Recording.READS.set(0);
    }

    @Test
    void everyKindOfActionAndValueArrivesExactlyAndInOrder() throws Exception {
        RouteDeltaRequest sent = new RouteDeltaRequest("abc.jvm1", false);
        sent.setAttribute("ascii", "plain text");
        sent.setAttribute("unicode", "h\u00e9llo \u4e16\u754c \ud83d\ude00 and a lone \ud800 surrogate");
        sent.setAttribute("empty", "");
        sent.setAttribute("int", Integer.valueOf(-42));
        sent.setAttribute("long", Long.valueOf(Long.MIN_VALUE));
        sent.setAttribute("true", Boolean.TRUE);
        sent.setAttribute("false", Boolean.FALSE);
        sent.setAttribute("short", Short.valueOf((short) -7));
        sent.setAttribute("byte", Byte.valueOf((byte) 200));
        sent.setAttribute("char", Character.valueOf('\uffff'));
        sent.setAttribute("float", Float.valueOf(Float.NaN));
        sent.setAttribute("double", Double.valueOf(-0.0));
        sent.setAttribute("list", new ArrayList<>(List.of("a", "b")));
        sent.setAttribute("map", Map.of("k", Integer.valueOf(1)));
        sent.removeAttribute("gone");
        sent.setMaxInactiveInterval(1800);
        sent.setNew(true);
        sent.setPrincipal(new GenericPrincipal("alice", List.of("user")));
        sent.setAuthType("FORM");
        sent.setAttribute("ascii", "changed"); // the last value wins and moves to the end, as Tomcat records it

        DeltaRequest received = read(sent.serialize(), this::plainStream);

        assertThat(received.getSize()).isEqualTo(sent.getSize()).isEqualTo(19);
        assertThat(received.getSessionId()).isEqualTo("abc.jvm1");
        assertThat(stockBytes(received)).isEqualTo(stockBytes(sent));
        assertThat(streamsOpened).as("one stream for the three serialized values").hasValue(1);
    }

    @Test
    void aDeltaOfStringsAndNumbersOpensNoObjectStream() throws Exception {
        RouteDeltaRequest sent = new RouteDeltaRequest("abc", false);
        sent.setAttribute("counter", Integer.valueOf(7));
        sent.setAttribute("payload", "x".repeat(512));

        byte[] compact = sent.serialize();
        DeltaRequest received = read(compact, (data, offset, length) -> fail("no stream needed"));

        assertThat(stockBytes(received)).isEqualTo(stockBytes(sent));
        assertThat(compact.length).isLessThan(stockSerialize(sent).length);
    }

    @Test
    void aRefusedClassIsRefusedBeforeItExistsAndNothingIsRead() throws Exception {
        RouteDeltaRequest sent = new RouteDeltaRequest("abc", false);
        sent.setAttribute("before", "fine");
        sent.setAttribute("gadget", new Recording("not allowed"));
        ClassAllowList allowList = ClassAllowList.of(null);
        List<String> refused = new ArrayList<>();

        assertThatThrownBy(() -> read(sent.serialize(), (data, offset, length) -> {
            ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data, offset, length));
            in.setObjectInputFilter(allowList.filter(r -> refused.add(r.className())));
            return in;
        })).isInstanceOf(InvalidClassException.class);
        assertThat(Recording.READS).hasValue(0);
        assertThat(refused).containsExactly(Recording.class.getName());
    }

    @Test
    void aStockDeltaIsNotMistakenForACompactOne() throws Exception {
        RouteDeltaRequest sent = new RouteDeltaRequest("abc", false);
        sent.setAttribute("a", "b");
        assertThat(CompactDeltaInput.isCompact(stockSerialize(sent))).isFalse();
        assertThat(CompactDeltaInput.isCompact(sent.serialize())).isTrue();
        assertThat(CompactDeltaInput.isCompact(new byte[0])).isFalse();
    }

    @Test
    void truncatedOrCorruptedDeltasEndInAnIOExceptionOnly() throws Exception {
        RouteDeltaRequest sent = new RouteDeltaRequest("abc", false);
        sent.setAttribute("s", "value \u00e9");
        sent.setAttribute("n", Long.valueOf(5));
        sent.setAttribute("list", new ArrayList<>(List.of("x")));
        byte[] good = sent.serialize();
        for (int length = 0; length < good.length; length++) {
            expectIOExceptionOrNothing(Arrays.copyOf(good, length));
        }
        Random random = new Random(4);
        for (int i = 0; i < 5_000; i++) {
            byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bad[3 + random.nextInt(bad.length - 3)] = (byte) random.nextInt(256);
            }
            expectIOExceptionOrNothing(bad);
        }
        byte[] hugeCounts = good.clone();
        Arrays.fill(hugeCounts, 7, 11, (byte) 0x7f); // a string length near 2^31 where the session id's is
        expectIOExceptionOrNothing(hugeCounts);
    }

    private void expectIOExceptionOrNothing(byte[] data) {
        try {
            read(data, this::plainStream);
        } catch (IOException | ClassNotFoundException expected) {
            // refused as malformed
        } catch (RuntimeException | Error e) {
            throw new AssertionError("malformed delta " + Arrays.toString(data) + " threw " + e, e);
        }
    }

    private ObjectInputStream plainStream(byte[] data, int offset, int length) throws IOException {
        streamsOpened.incrementAndGet();
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data, offset, length));
        in.setObjectInputFilter(ClassAllowList.of(null).filter(r -> { }));
        return in;
    }

    private static DeltaRequest read(byte[] data, CompactDeltaInput.Streams streams)
            throws IOException, ClassNotFoundException {
        DeltaRequest request = new DeltaRequest();
        try (CompactDeltaInput in = new CompactDeltaInput(data, streams)) {
            request.readExternal(in);
        }
        return request;
    }

    /** Tomcat's own format of a request's content: equal bytes, equal actions and values in equal order. */
    private static byte[] stockBytes(DeltaRequest request) throws IOException {
        return stockSerialize(request);
    }

    private static byte[] stockSerialize(DeltaRequest request) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            request.writeExternal(out);
        }
        return bytes.toByteArray();
    }
}
