package io.jvmroute.balancer.tcp;

import io.jvmroute.balancer.Transport;
import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A plain TCP listener ({@code balancer.tcp.listen}) relaying each connection, bytes as they are, to the
 * {@code balancer.tcp.port} of one of the lb's workers, chosen by the client's source address and the
 * workers' health: what CloudStack's agents need on 8250 (a long-lived connection that must find the same
 * management server when it reconnects, while that server is up).
 */
public final class TcpRelay {

    private TcpRelay() {
    }

    /**
     * @param clients the relayed client connections are added here, so that shutdown can close them
     */
    public static Channel bind(EventLoopGroup acceptor, EventLoopGroup loops, Transport transport,
                               Supplier<ProxyRuntime> runtimes, InetSocketAddress address, ChannelGroup clients)
            throws InterruptedException {
        return new ServerBootstrap().group(acceptor, loops).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast(new TcpRelayHandler(runtimes, transport));
                    }
                })
                .bind(address).sync().channel();
    }
}
