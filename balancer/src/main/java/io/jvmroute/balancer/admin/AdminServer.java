package io.jvmroute.balancer.admin;

import io.jvmroute.balancer.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The admin listener (loopback by default): status page, JSON, metrics and POST-only admin actions. */
public final class AdminServer {

    private AdminServer() {
    }

    public static Channel bind(EventLoopGroup acceptor, EventLoopGroup loops, Transport transport,
                               BalancerControl control, InetSocketAddress address) throws InterruptedException {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String csrf = HexFormat.of().formatHex(secret); // one per process: forms from an older process are refused
        return new ServerBootstrap().group(acceptor, loops).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast(new AdminHandler(control, csrf));
                    }
                })
                .bind(address).sync().channel();
    }
}
