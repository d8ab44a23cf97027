package io.jvmroute.balancer;

import io.jvmroute.balancer.ajp.AjpClientHandler;
import io.jvmroute.balancer.proxy.ProxyRuntime;
import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.BalancerSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Active health checks: every {@code health.interval} each worker gets {@code GET health.path} on a fresh
 * connection; an answer below 500 within {@code health.timeout} is good. {@code rise} good checks in a row
 * bring a down worker back (within seconds, not mod_jk's 60 s recover_time); {@code fall} bad ones take an
 * up worker out. AJP13 workers get a CPing on a fresh connection instead, and a CPong within the timeout is
 * good (mod_jk's own liveness test: the connector answers, whatever the application does). Runs on one event
 * loop; each worker is checked independently.
 */
final class HealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final EventLoop loop;
    private final Transport transport;
    private final Supplier<ProxyRuntime> runtimes;
    private ScheduledFuture<?> task;

    HealthChecker(EventLoop loop, Transport transport, Supplier<ProxyRuntime> runtimes) {
        this.loop = loop;
        this.transport = transport;
        this.runtimes = runtimes;
    }

    void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        long interval = runtimes.get().settings().healthInterval().toMillis();
        task = loop.schedule(this::checkAll, interval, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void checkAll() {
        ProxyRuntime rt = runtimes.get();
        for (WorkerState w : rt.router().workers()) {
            check(rt, w);
        }
        scheduleNext();
    }

    private void check(ProxyRuntime rt, WorkerState w) {
        BalancerSettings s = rt.settings();
        long timeout = s.healthTimeout().toMillis();
        Promise<String> verdict = loop.newPromise();
        verdict.addListener(v -> record(rt, w, v.isSuccess(), v.isSuccess() ? (String) v.getNow() : v.cause().getMessage()));
        if (w.def().speaksAjp()) {
            checkAjp(w, timeout, verdict);
            return;
        }
        Bootstrap b = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<HttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, HttpResponse response) {
                                verdict.trySuccess("HTTP " + response.status().code());
                                ctx.close();
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                verdict.tryFailure(cause);
                                ctx.close();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                verdict.tryFailure(new IllegalStateException("closed without an answer"));
                            }
                        });
                    }
                });
        b.connect(w.def().host(), w.def().httpPort()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                verdict.tryFailure(f.cause());
                return;
            }
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, s.healthPath());
            request.headers().set(HttpHeaderNames.HOST, w.def().host() + ":" + w.def().httpPort());
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            request.headers().set(HttpHeaderNames.USER_AGENT, "jvmroute-health-check");
            f.channel().writeAndFlush(request);
            loop.schedule(() -> {
                if (verdict.tryFailure(new IllegalStateException("no answer within " + timeout + " ms"))) {
                    f.channel().close();
                }
            }, timeout, TimeUnit.MILLISECONDS);
        });
    }

    private void checkAjp(WorkerState w, long timeout, Promise<String> verdict) {
        Bootstrap b = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new AjpClientHandler(w.name(), false, w.def().ajp().maxPacketSize(), 0, timeout));
        b.connect(w.def().host(), w.def().port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                verdict.tryFailure(f.cause());
                return;
            }
            AjpClientHandler.ping(f.channel()).addListener(p -> {
                f.channel().close();
                if (p.isSuccess()) {
                    verdict.trySuccess("AJP CPong");
                } else {
                    verdict.tryFailure(p.cause());
                }
            });
        });
    }

    /** @param result {@code HTTP <status>} or {@code AJP CPong} when an answer came, else why none did */
    private static void record(ProxyRuntime rt, WorkerState w, boolean answered, String result) {
        BalancerSettings s = rt.settings();
        boolean good = answered && (!result.startsWith("HTTP ") || Integer.parseInt(result.substring(5)) < 500);
        boolean changed = w.recordCheck(good, result, s.healthRise(), s.healthFall(), System.currentTimeMillis());
        if (changed && w.isUp()) {
            rt.router().rejoin(w);
            LOG.info("worker {} is up again: health check {}", w.name(), result);
        } else if (changed) {
            LOG.warn("worker {} is down: health check {}", w.name(), result);
        }
    }
}
