package io.jvmroute.bench;

import io.jvmroute.route.RouteIndex;
import io.jvmroute.route.SessionId;
import io.jvmroute.route.SessionIdFinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the balancer does on every request: find the sticky route in a realistic Cookie header (analytics
 * cookies first, JSESSIONID fourth). {@code naiveSplit} is the way such code is commonly written
 * (split on ';', then on '=', substring the route, HashMap lookup) and is the baseline for the ratio.
 * Run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RouteLookupBenchmark {

    static final String COOKIE_HEADER =
            "_ga=GA1.2.1234567890.1600000000; _gid=GA1.2.987654321.1600000000; lang=en-US; "
                    + "sessionkey=1b2c3d4e5f60718293a4b5c6d7e8f901; JSESSIONID=4F2A9C1B7D3E5F608192A3B4C5D6E7F8.jvm2; "
                    + "theme=dark";
    static final String URI = "/client/api?command=listVirtualMachines&response=json&listAll=true";

    private final SessionIdFinder finder = SessionIdFinder.DEFAULT;
    private final RouteIndex workers = RouteIndex.of(List.of("jvm1", "jvm2", "jvm3"));
    private final Map<String, Integer> workerMap = Map.of("jvm1", 0, "jvm2", 1, "jvm3", 2);
    private final List<String> headers = List.of(COOKIE_HEADER);

    /** The balancer's path: path parameter, then the Cookie header, no allocation. */
    @Benchmark
    public int findRoute() {
        int worker = finder.resolveInPath(URI, workers);
        return worker >= 0 ? worker : finder.resolveInCookieHeader(COOKIE_HEADER, workers);
    }

    /** Through the Iterable convenience method (an iterator per call, usually scalar-replaced). */
    @Benchmark
    public int findRouteIterable() {
        return finder.findRoute(URI, headers, workers);
    }

    /** The allocating API tools and valves use: the first usable id as a value. */
    @Benchmark
    public SessionId requestedId() {
        return finder.requestedId(URI, headers).orElse(null);
    }

    /** Baseline: how this is commonly hand-written. */
    @Benchmark
    public int naiveSplit() {
        int q = URI.indexOf(";jsessionid=");
        if (q >= 0) {
            return -2; // not reached with this URI
        }
        for (String pair : COOKIE_HEADER.split(";")) {
            String[] nv = pair.trim().split("=", 2);
            if (nv.length == 2 && nv[0].equals("JSESSIONID")) {
                int dot = nv[1].indexOf('.');
                if (dot > 0) {
                    Integer worker = workerMap.get(nv[1].substring(dot + 1));
                    if (worker != null) {
                        return worker;
                    }
                }
            }
        }
        return -1;
    }
}
