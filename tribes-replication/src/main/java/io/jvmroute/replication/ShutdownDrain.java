package io.jvmroute.replication;

import io.jvmroute.membership.MemberState;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.Server;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * A normal shutdown drains first: listening on the Server, before it stops, this node publishes
 * {@code draining} and keeps serving for {@code drainOnShutdown} ms, so peers and the balancer move its users
 * while it still answers them. {@link #cutShort} (the cluster's {@code activate}) ends the wait early.
 */
final class ShutdownDrain implements LifecycleListener {

    private static final Log log = LogFactory.getLog(RouteCluster.class); // RouteCluster's messages keep its logger
    private static final StringManager sm = StringManager.getManager(ShutdownDrain.class);

    private final Server server;
    private final PublishedState state;
    private final LongSupplier drainMillis;
    private final String route;
    private volatile CountDownLatch cutShort = new CountDownLatch(1);

    private ShutdownDrain(Server server, PublishedState state, LongSupplier drainMillis, String route) {
        this.server = server;
        this.state = state;
        this.drainMillis = drainMillis;
        this.route = route;
    }

    /** Listens on {@code server} until {@link #unregister}; {@code drainMillis} is read at each shutdown (JMX may change it). */
    static ShutdownDrain register(Server server, PublishedState state, LongSupplier drainMillis, String route) {
        ShutdownDrain drain = new ShutdownDrain(server, state, drainMillis, route);
        server.addLifecycleListener(drain);
        return drain;
    }

    void unregister() {
        server.removeLifecycleListener(this);
    }

    @Override
    public void lifecycleEvent(LifecycleEvent event) {
        long millis = drainMillis.getAsLong();
        if (!Lifecycle.BEFORE_STOP_EVENT.equals(event.getType()) || millis == 0) {
            return;
        }
        cutShort = new CountDownLatch(1);
        state.changeState(MemberState.DRAINING);
        log.info(sm.getString("routeCluster.drainOnShutdown", route, Long.valueOf(millis)));
        try {
            // Peers and the balancer see "draining" at the next ping and move users while we still serve them.
            cutShort.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // activate() only ended the wait: a stopping node must not look active to the balancer.
        state.changeState(MemberState.DRAINING);
    }

    /** Ends a drain in progress (the node stays draining until it stops); nothing otherwise. */
    void cutShort() {
        cutShort.countDown();
    }
}
