package io.jvmroute.balancer.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Caps client connections, in all ({@code max_clients}) and per client address ({@code max_clients_per_address}),
 * so that a flood of idle or trickling connections cannot take every socket and event-loop slot. A connection
 * over a cap gets 503 (plain HTTP; a TLS one is just closed) and is closed before anything of it is parsed; the
 * refusals are counted. One instance for the life of the balancer (its counts survive reloads), shared by every
 * client pipeline; the limits are read from the configuration in force at each accept.
 */
@ChannelHandler.Sharable
public final class ClientLimits extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientLimits.class);
    /** Set on a connection that was counted, so that only those are uncounted when they close. */
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("jvmroute.clientLimits");

    private final Supplier<ProxyRuntime> runtimes;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per client address; an address leaves the map with its last connection. */
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder headTimeouts = new LongAdder();

    public ClientLimits(Supplier<ProxyRuntime> runtimes) {
        this.runtimes = runtimes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        var settings = runtimes.get().settings();
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                ? inet.getAddress() : InetAddress.getLoopbackAddress();
        int all = open.incrementAndGet();
        int fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        if (all > settings.maxClients() || fromAddress > settings.maxClientsPerAddress()) {
            refused.increment();
            String which = all > settings.maxClients()
                    ? "the balancer has " + settings.maxClients() + " client connections open (balancer.max_clients)"
                    : "too many connections from your address (balancer.max_clients_per_address)";
            LOG.debug("client {} refused: {}", address, which);
            if (runtimes.get().tls()) {
                ctx.close();
            } else {
                ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE, which, false))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            return; // never reaches the parser nor the proxy
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            open.decrementAndGet();
            perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() == 0 ? null : count);
        }
        ctx.fireChannelInactive();
    }

    /** Connections refused over a cap since the start. */
    public long refused() {
        return refused.sum();
    }

    /** Client connections open now. */
    public int open() {
        return open.get();
    }

    /** A request head that did not arrive within {@code head_timeout} ({@link ClientDeadlines}). */
    void headTimedOut() {
        headTimeouts.increment();
    }

    /** Request heads not complete within {@code head_timeout} since the start (408 and closed). */
    public long headTimeouts() {
        return headTimeouts.sum();
    }
}
