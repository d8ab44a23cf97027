package io.jvmroute.replication.secure;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections {@link TlsReceiver} holds, and for whom. Before its handshake completes a connection is
 * nobody's: an outsider who reaches the port could hold every slot by trickling bytes. So an address not in
 * {@code members} may hold at most {@link #STRANGER_HANDSHAKES} handshakes in all, any address at most
 * {@link #PER_ADDRESS} connections, and the rest of the {@link #TOTAL} slots stay for the members. Counts exist only
 * for open connections (an entry goes when its last connection does), so the map is bounded by {@link #TOTAL}.
 */
final class ConnectionLimits {

    static final int TOTAL = 256;
    /** A member holds one connection per lane and a few more (membership, state transfer): lanes are at most 64. */
    static final int PER_ADDRESS = 96;
    static final int STRANGER_HANDSHAKES = 32;

    private final PeerRoutes routes;
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private int total;
    private int strangers;

    ConnectionLimits(PeerRoutes routes) {
        this.routes = routes;
    }

    /** Takes a slot for a new connection from {@code address}; the refusal reason, or {@code null} when admitted. */
    synchronized String admit(InetAddress address) {
        if (total >= TOTAL) {
            return "too many connections (" + TOTAL + ")";
        }
        boolean stranger = isStranger(address);
        if (stranger && strangers >= STRANGER_HANDSHAKES) {
            return "too many handshakes from addresses not in members (" + STRANGER_HANDSHAKES + ")";
        }
        int current = perAddress.getOrDefault(address, 0);
        if (current >= PER_ADDRESS) {
            return "too many connections from " + address.getHostAddress() + " (" + PER_ADDRESS + ")";
        }
        perAddress.put(address, current + 1);
        total++;
        if (stranger) {
            strangers++;
        }
        return null;
    }

    /** The connection's handshake ended (authenticated or not): a stranger's handshake slot is free again. */
    synchronized void handshakeEnded(InetAddress address) {
        if (isStranger(address)) {
            strangers--;
        }
    }

    /** The connection closed. */
    synchronized void released(InetAddress address) {
        total--;
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections open now from {@code address}, for tests and JMX. */
    synchronized int connectionsFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    private boolean isStranger(InetAddress address) {
        return routes.routesAt(address).isEmpty();
    }
}
