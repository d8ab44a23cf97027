package io.jvmroute.replication.secure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of secure replication, read over JMX through {@link SecureReplication}: TLS handshakes that
 * succeeded or failed per peer address, classes refused by the allow-list, and streams stopped by a limit.
 */
public final class SecurityMetrics {

    static final int MAX_ADDRESSES = 1_000;
    static final String OTHER_ADDRESSES = "other-addresses";

    private final Map<String, Handshakes> handshakes = new ConcurrentHashMap<>();
    private final LongAdder rejectedClasses = new LongAdder();
    private final LongAdder filterLimitsHit = new LongAdder();

    void handshakeSucceeded(String peer) {
        of(peer).ok.increment();
    }

    void handshakeFailed(String peer) {
        of(peer).failed.increment();
    }

    void rejected(ClassAllowList.Rejection rejection) {
        (rejection.isLimit() ? filterLimitsHit : rejectedClasses).increment();
    }

    public long getHandshakesSucceeded() {
        return handshakes.values().stream().mapToLong(h -> h.ok.sum()).sum();
    }

    public long getHandshakesFailed() {
        return handshakes.values().stream().mapToLong(h -> h.failed.sum()).sum();
    }

    /** Failed handshakes from or to one peer address (IP, without port: a client's port changes every time). */
    public long handshakesFailed(String peer) {
        Handshakes h = handshakes.get(peer);
        return h == null ? 0 : h.failed.sum();
    }

    public long getRejectedClasses() {
        return rejectedClasses.sum();
    }

    public long getFilterLimitsHit() {
        return filterLimitsHit.sum();
    }

    /** One line per peer address: {@code 127.0.0.2 ok=3 failed=0}. */
    public String[] describeHandshakes() {
        List<String> lines = new ArrayList<>();
        handshakes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> lines.add(
                e.getKey() + " ok=" + e.getValue().ok.sum() + " failed=" + e.getValue().failed.sum()));
        return lines.toArray(new String[0]);
    }

    /**
     * The counters of one address. Anyone who reaches the port picks the address it comes from: past
     * {@link #MAX_ADDRESSES} addresses, new ones share one line, so a scan cannot grow this map without bound.
     */
    private Handshakes of(String peer) {
        Handshakes known = handshakes.get(peer);
        if (known != null) {
            return known;
        }
        String key = handshakes.size() < MAX_ADDRESSES ? peer : OTHER_ADDRESSES;
        return handshakes.computeIfAbsent(key, p -> new Handshakes());
    }

    private static final class Handshakes {
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
    }
}
