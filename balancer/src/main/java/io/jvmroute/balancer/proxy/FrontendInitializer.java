package io.jvmroute.balancer.proxy;

import io.jvmroute.config.BalancerSettings;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of a client connection: optional TLS, the HTTP/1.1 request decoder with its limits, idle
 * close, the proxy. There is no response encoder: responses (the workers' and the balancer's own) are
 * written as bytes.
 */
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    private final Supplier<ProxyRuntime> runtimes;
    private final SslContext tls;

    /** @param tls the front TLS context, or null for plain HTTP */
    public FrontendInitializer(Supplier<ProxyRuntime> runtimes, SslContext tls) {
        this.runtimes = runtimes;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        BalancerSettings s = runtimes.get().settings();
        if (tls != null) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
        }
        ch.pipeline().addLast(new HttpRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(s.maxInitialLine())
                .setMaxHeaderSize(s.maxHeaderSize())
                .setMaxChunkSize(65536)));
        ch.pipeline().addLast(new IdleStateHandler(0, 0, s.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new FrontendHandler(runtimes));
    }
}
