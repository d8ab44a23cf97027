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
 * The pipeline of a client connection: optional TLS, the request parser with its limits, idle close, the
 * proxy. There is no HTTP codec: requests are read as bytes ({@link RequestParser}) and responses (the
 * workers' and the balancer's own) are written as bytes.
 */
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    private final Supplier<ProxyRuntime> runtimes;
    private final SslContext tls;
    private final ChannelGroup clients;

    /**
     * @param tls     the front TLS context, or null for plain HTTP
     * @param clients where open client connections are kept, for closing at shutdown
     */
    public FrontendInitializer(Supplier<ProxyRuntime> runtimes, SslContext tls, ChannelGroup clients) {
        this.runtimes = runtimes;
        this.tls = tls;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        BalancerSettings s = runtimes.get().settings();
        clients.add(ch); // leaves the group by itself when closed
        if (tls != null) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
        }
        ch.pipeline().addLast(new RequestParser(s.maxInitialLine(), s.maxHeaderSize()));
        ch.pipeline().addLast(new IdleStateHandler(0, 0, s.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new FrontendHandler(runtimes));
    }
}
