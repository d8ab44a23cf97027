package io.jvmroute.replication.secure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides which refusals reach the log: the first of each (peer address, reason) and then at most one a
 * minute, so a peer retrying every second, or a scanner, cannot flood the log. Every refusal is counted anyway.
 */
final class RefusalLog {

    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_KEYS = 10_000;

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    /** Whether this refusal should be logged now. */
    boolean shouldLog(String address, String reason) {
        if (lastLogged.size() > MAX_KEYS) {
            lastLogged.clear(); // a scan of many addresses: forget, rather than grow without bound
        }
        long now = System.nanoTime();
        String key = address + '|' + reason;
        Long last = lastLogged.get(key);
        if (last != null && now - last.longValue() < QUIET_NANOS) {
            return false;
        }
        lastLogged.put(key, Long.valueOf(now));
        return true;
    }
}
