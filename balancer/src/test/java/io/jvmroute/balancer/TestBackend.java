package io.jvmroute.balancer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP worker for tests, on 127.0.0.x: answers {@code 200} with its name as body and
 * {@code X-Worker: name}, and records what it received. Health checks are answered apart ({@link #healthy})
 * and not recorded. A test may replace the behaviour ({@link #respond}).
 */
public final class TestBackend implements AutoCloseable {

    /** What a test backend does with a complete request. */
    @FunctionalInterface
    public interface Behaviour {
        void handle(TestBackend self, ChannelHandlerContext ctx, FullHttpRequest request);
    }

    /** A request as received: method, URI, headers, body and the connection it came on. */
    public record Received(String method, String uri, HttpHeaders headers, String body, String connection) {
    }

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    public final String name;
    private final String host;
    private Channel server;
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private int port;
    private volatile Behaviour behaviour = TestBackend::ok;
    /** What health checks are told (they never see {@link #respond}'s behaviour): 200, or 503 when false. */
    public volatile boolean healthy = true;
    public final List<Received> received = new CopyOnWriteArrayList<>();

    public TestBackend(String name, String host) {
        this.name = name;
        this.host = host;
    }

    /** Starts on a free port. */
    public TestBackend start() throws InterruptedException {
        return start(0);
    }

    /** Starts on {@code port} (a restart on the old port after {@link #stop}). */
    public TestBackend start(int onPort) throws InterruptedException {
        server = new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(16 << 20));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                if ("jvmroute-health-check".equals(request.headers().get(HttpHeaderNames.USER_AGENT))) {
                                    send(ctx, request, healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "health");
                                    return;
                                }
                                received.add(new Received(request.method().name(), request.uri(), request.headers().copy(),
                                        request.content().toString(StandardCharsets.UTF_8),
                                        String.valueOf(ctx.channel().remoteAddress())));
                                behaviour.handle(TestBackend.this, ctx, request);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // resets are what several tests cause on purpose
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(host, onPort)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
        return this;
    }

    public TestBackend respond(Behaviour newBehaviour) {
        behaviour = newBehaviour;
        return this;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String address() {
        return host + ":" + port;
    }

    /** The default: 200, body = name, X-Worker = name. */
    public static void ok(TestBackend self, ChannelHandlerContext ctx, FullHttpRequest request) {
        self.send(ctx, request, HttpResponseStatus.OK, self.name);
    }

    public void send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
        ByteBuf content = ctx.alloc().buffer();
        content.writeCharSequence(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set("X-Worker", name);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        ctx.writeAndFlush(response);
    }

    /** Stops listening and closes every connection: what a killed node looks like to the balancer. */
    public void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
            server = null;
        }
        children.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stop();
    }
}
