package io.jvmroute.balancer.proxy;

import io.jvmroute.config.BalancerSettings;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of a client connection: the connection caps, optional TLS, the request parser with its limits, idle close, the
 * slow-client deadlines, the proxy. There is no HTTP codec: requests are read as bytes ({@link RequestParser}) and responses (the
 * workers' and the balancer's own) are written as bytes.
 */
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    private final Supplier<ProxyRuntime> runtimes;
    private final SslContext tls;
    private final ChannelGroup clients;
    private final ClientLimits limits;

    /**
     * @param tls     the front TLS context, or null for plain HTTP
     * @param clients where open client connections are kept, for closing at shutdown
     */
    public FrontendInitializer(Supplier<ProxyRuntime> runtimes, SslContext tls, ChannelGroup clients, ClientLimits limits) {
        this.runtimes = runtimes;
        this.limits = limits;
        this.tls = tls;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        BalancerSettings s = runtimes.get().settings();
        clients.add(ch); // leaves the group by itself when closed
        ch.pipeline().addLast(limits);
        if (tls != null) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
        }
        ch.pipeline().addLast(new RequestParser(s.maxInitialLine(), s.maxHeaderSize()));
        ch.pipeline().addLast(new IdleStateHandler(0, 0, s.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        // the slow client's deadlines: body and send as idle times (output observed), the head as a deadline
        ch.pipeline().addLast(new IdleStateHandler(true, s.bodyTimeout().toMillis(), s.sendTimeout().toMillis(), 0,
                TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new ClientDeadlines(s.headTimeout().toNanos(), limits));
        ch.pipeline().addLast(new FrontendHandler(runtimes));
    }
}
