package io.jvmroute.balancer.tcp;

import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which worker a plain TCP client goes to: the same one for the same source address, as long as that
 * worker is usable (HAProxy's {@code balance source}, for CloudStack's agents on 8250). Rendezvous hashing:
 * each (address, worker name) pair gets a score and the highest usable score wins, so a worker that goes
 * away moves only its own clients, and they come back to it when it returns, whatever the order or number of
 * the other workers.
 */
final class SourceAffinity {

    private SourceAffinity() {
    }

    /**
     * Workers to try for {@code source}, best first: those taking new work (active and up by health), then,
     * in case the health verdicts are stale, the other active ones (as the HTTP side's forced recovery).
     * Disabled (draining) and stopped workers get no new connections; connections they have stay.
     */
    static List<WorkerState> order(List<WorkerState> workers, InetAddress source) {
        byte[] address = source.getAddress();
        List<WorkerState> usable = new ArrayList<>();
        List<WorkerState> fallback = new ArrayList<>();
        for (WorkerState w : workers) {
            if (w.usableForNew()) {
                usable.add(w);
            } else if (w.activation() == Activation.ACTIVE) {
                fallback.add(w);
            }
        }
        Comparator<WorkerState> byScore = Comparator.comparingLong((WorkerState w) -> score(address, w.name())).reversed();
        usable.sort(byScore);
        fallback.sort(byScore);
        usable.addAll(fallback);
        return usable;
    }

    /** A well-mixed 64-bit score of the pair (FNV-1a, then a finaliser). */
    static long score(byte[] address, String worker) {
        long h = 0xcbf29ce484222325L;
        for (byte b : address) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L; // separator: ("1.2", "3") differs from ("1", "23")
        for (int i = 0; i < worker.length(); i++) {
            h = (h ^ worker.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
