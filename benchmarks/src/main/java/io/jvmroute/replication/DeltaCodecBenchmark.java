package io.jvmroute.replication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.ha.session.DeltaRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One session delta as the replication benchmark's {@code /touch} makes it (an {@code Integer} and a 512-character
 * string), written and read in jvmroute's compact format ({@link CompactDeltaOutput}, {@link CompactDeltaInput})
 * and in Tomcat's own (Java serialization: {@code DeltaRequest.serialize()} is an {@code ObjectOutputStream} over
 * {@code writeExternal}, the receiver an {@code ObjectInputStream} over {@code readExternal}). In this package
 * because the codec is package-private. Run with {@code -prof gc} for bytes allocated per delta.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DeltaCodecBenchmark {

    private final RouteDeltaRequest delta = new RouteDeltaRequest("4F2A9C1B7D3E5F608192A3B4C5D6E7F8.jvm1", false);
    private byte[] compact;
    private byte[] stock;

    @Setup
    public void setUp() throws IOException {
        delta.setAttribute("counter", Integer.valueOf(42));
        delta.setAttribute("payload", "x".repeat(512));
        compact = delta.serialize();
        stock = stockWrite();
    }

    @Benchmark
    public byte[] compactWrite() throws IOException {
        return delta.serialize();
    }

    @Benchmark
    public byte[] stockWrite() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            delta.writeExternal(out);
        }
        return bytes.toByteArray();
    }

    @Benchmark
    public DeltaRequest compactRead() throws IOException, ClassNotFoundException {
        DeltaRequest request = new DeltaRequest();
        try (CompactDeltaInput in = new CompactDeltaInput(compact,
                (data, offset, length) -> new ObjectInputStream(new ByteArrayInputStream(data, offset, length)))) {
            request.readExternal(in);
        }
        return request;
    }

    @Benchmark
    public DeltaRequest stockRead() throws IOException, ClassNotFoundException {
        DeltaRequest request = new DeltaRequest();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stock))) {
            request.readExternal(in);
        }
        return request;
    }
}
