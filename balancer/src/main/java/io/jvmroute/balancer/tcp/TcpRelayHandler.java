package io.jvmroute.balancer.tcp;

import io.jvmroute.balancer.Transport;
import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.jvmroute.balancer.routing.WorkerState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * A new client connection on the TCP listener: picks the worker of its source address
 * ({@link SourceAffinity}), connects to that worker's host on the relay port, and on a failed connect tries
 * the next worker in the client's order (the worker is not marked down: its HTTP side may well be
 * fine; its health is the HTTP health check's). Once connected, each side gets a {@link RelayPipe} and this handler leaves. Nothing is read from
 * the client before the worker is connected.
 */
final class TcpRelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TcpRelayHandler.class);

    private final Supplier<ProxyRuntime> runtimes;
    private final Transport transport;

    TcpRelayHandler(Supplier<ProxyRuntime> runtimes, Transport transport) {
        this.runtimes = runtimes;
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ProxyRuntime rt = runtimes.get();
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        List<WorkerState> order = SourceAffinity.order(rt.router().workers(), client.getAddress());
        connect(ctx, rt, order, 0);
    }

    private void connect(ChannelHandlerContext ctx, ProxyRuntime rt, List<WorkerState> order, int next) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (next >= order.size()) {
            LOG.warn("tcp client {}: no worker could be reached on port {}; closed", ctx.channel().remoteAddress(),
                    rt.settings().tcpWorkerPort());
            ctx.close();
            return;
        }
        WorkerState worker = order.get(next);
        Channel client = ctx.channel();
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) rt.settings().connectTimeout().toMillis())
                .handler(new RelayPipe(client));
        b.connect(worker.def().host(), rt.settings().tcpWorkerPort()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                LOG.warn("tcp client {}: worker {} ({}:{}) not reached: {}", client.remoteAddress(), worker.name(),
                        worker.def().host(), rt.settings().tcpWorkerPort(), f.cause().getMessage());
                connect(ctx, rt, order, next + 1);
                return;
            }
            if (!client.isActive()) {
                f.channel().close();
                return;
            }
            LOG.debug("tcp client {} relayed to worker {}", client.remoteAddress(), worker.name());
            worker.relayOpened();
            f.channel().closeFuture().addListener(closed -> worker.relayClosed());
            ctx.pipeline().replace(this, "relay", new RelayPipe(f.channel()));
            client.read();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
