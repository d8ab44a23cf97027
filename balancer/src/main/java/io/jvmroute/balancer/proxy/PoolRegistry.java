package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.Transport;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.BalancerSettings;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link BackendPool} per (event loop, worker), created on first use. The connection limits of the
 * settings are per worker, so each loop's pool gets its share. Workers removed by a reload have their
 * pools closed; unchanged workers keep theirs (and their warm connections).
 */
public final class PoolRegistry {

    private record Key(EventLoop loop, WorkerState worker) {
    }

    private final Transport transport;
    private final int loops;
    private final Map<Key, BackendPool> pools = new ConcurrentHashMap<>();
    private volatile BalancerSettings settings;

    public PoolRegistry(Transport transport, int loops, BalancerSettings settings) {
        this.transport = transport;
        this.loops = loops;
        this.settings = settings;
    }

    public BackendPool pool(EventLoop loop, WorkerState worker) {
        BackendPool pool = pools.get(new Key(loop, worker));
        return pool != null ? pool : pools.computeIfAbsent(new Key(loop, worker), k -> newPool(loop, worker));
    }

    private BackendPool newPool(EventLoop loop, WorkerState worker) {
        BalancerSettings s = settings;
        InetSocketAddress address = new InetSocketAddress(worker.def().host(), worker.def().address().port());
        return new BackendPool(loop, transport.socketChannel(), address,
                Math.max(1, s.poolMaxConnections() / loops), Math.max(1, s.poolMaxIdle() / loops),
                s.connectTimeout(), s.poolIdleTimeout(), s.maxHeaderSize(), BackendProtocol.of(worker.def()));
    }

    /** After a reload: close the pools of workers no longer in use; new pools take the new settings. */
    public void retainOnly(Collection<WorkerState> current, BalancerSettings newSettings) {
        settings = newSettings;
        pools.entrySet().removeIf(e -> {
            if (!current.contains(e.getKey().worker())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    public void closeAll() {
        pools.values().forEach(BackendPool::close);
        pools.clear();
    }

    /** Open connections to a worker over every loop, for the status page. */
    public int openConnections(WorkerState worker) {
        int total = 0;
        for (Map.Entry<Key, BackendPool> e : pools.entrySet()) {
            if (e.getKey().worker() == worker) {
                total += e.getValue().open();
            }
        }
        return total;
    }
}
