package io.jvmroute.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The balancer finds the route on every request: the hot path must not allocate. Measured with the JVM's
 * per-thread allocation counter, so this fails as soon as someone adds a substring, a lambda capture or an
 * iterator to the scan.
 */
class FinderAllocationTest {

    private static final String COOKIE_HEADER =
            "_ga=GA1.2.1234567890.1600000000; _gid=GA1.2.987654321.1600000000; lang=en-US; "
                    + "sessionkey=1b2c3d4e5f60718293a4b5c6d7e8f901; JSESSIONID=4F2A9C1B7D3E5F608192A3B4C5D6E7F8.jvm2; "
                    + "theme=dark";
    private static final String URI = "/client/api?command=listVirtualMachines&response=json";

    @Test
    void findingTheRouteInACookieHeaderAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RouteIndex workers = RouteIndex.of(List.of("jvm1", "jvm2", "jvm3"));
        SessionIdFinder finder = SessionIdFinder.DEFAULT;
        int iterations = 20_000;
        long sink = 0;
        for (int i = 0; i < iterations; i++) { // warm up so the counter sees steady state, not class loading
            sink += finder.resolveInPath(URI, workers) + finder.resolveInCookieHeader(COOKIE_HEADER, workers);
        }
        long thread = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < iterations; i++) {
            sink += finder.resolveInPath(URI, workers) + finder.resolveInCookieHeader(COOKIE_HEADER, workers);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(sink).isEqualTo(2L * iterations * (SessionIdFinder.NOT_FOUND + 1));
        // The counter call itself may allocate a few bytes; anything per request would be >= 16 x iterations.
        assertThat(allocated).as("bytes allocated by %d lookups", iterations).isLessThan(iterations);
    }
}
