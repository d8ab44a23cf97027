package io.jvmroute.valve;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by a session's base. Requests for one user serialise their lookup-and-rename,
 * so concurrent old-id requests produce exactly one rename, and no request looks during the instant
 * {@code StandardSession.setId} has removed the old id and not yet added the new one. Unrelated users
 * rarely share a stripe; memory is fixed.
 */
final class StripedLocks {

    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two)");
        }
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock forKey(String key) {
        int h = key.hashCode();
        return locks[(h ^ (h >>> 16)) & (locks.length - 1)];
    }
}
