package io.jvmroute.balancer.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one worker (HTTP/1.1, or AJP13 through {@link BackendProtocol}), owned by one event loop: the front connections of that
 * loop lease from it, so a request never changes threads and nothing here needs a lock (every method
 * runs on {@code loop}).
 *
 * <p>Bounded: at most {@code maxConnections} open (busy or idle), at most {@code maxIdle} kept idle. When
 * all are busy an acquire waits, up to the connect timeout, for one to come back. Idle connections are
 * reused most-recent first (warm, least likely closed by the worker), checked to be open on acquire and
 * closed after {@code idleTimeout}.
 */
public final class BackendPool {

    /** Raised when every connection stays busy past the connect timeout: the worker is slow, not dead. */
    public static final class PoolExhaustedException extends Exception {
        PoolExhaustedException(String message) {
            super(message, null, false, false);
        }
    }

    private final EventLoop loop;
    private final BackendProtocol protocol;
    private final Bootstrap bootstrap;
    private final InetSocketAddress address;
    private final int maxConnections;
    private final int maxIdle;
    private final long waitMillis;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<Channel>> waiters = new ArrayDeque<>();
    private int open;
    private boolean closed;

    public BackendPool(EventLoop loop, Class<? extends Channel> channelClass, InetSocketAddress address,
                       int maxConnections, int maxIdle, Duration connectTimeout, Duration idleTimeout, int maxHeaderSize) {
        this(loop, channelClass, address, maxConnections, maxIdle, connectTimeout, idleTimeout, maxHeaderSize,
                BackendProtocol.HTTP);
    }

    BackendPool(EventLoop loop, Class<? extends Channel> channelClass, InetSocketAddress address, int maxConnections,
                int maxIdle, Duration connectTimeout, Duration idleTimeout, int maxHeaderSize, BackendProtocol protocol) {
        this.loop = loop;
        this.protocol = protocol;
        this.address = address;
        this.maxConnections = maxConnections;
        this.maxIdle = maxIdle;
        this.waitMillis = connectTimeout.toMillis();
        this.bootstrap = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // requests are written as bytes (ProxyHeaders), responses pass as bytes (ResponseParser).
                        // Workers' heads may be larger than what clients are allowed (Set-Cookie lists)
                        protocol.addHandlers(ch);
                        ch.pipeline().addLast(new ResponseParser(maxHeaderSize * 4));
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast(new BackendHandler());
                    }
                });
    }

    public InetSocketAddress address() {
        return address;
    }

    /** A connection for one exchange; it must come back through {@link #release}. */
    public Future<Channel> acquire() {
        Promise<Channel> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(new IllegalStateException("pool for " + address + " is closed (reloaded)"));
        }
        for (Channel ch; (ch = idle.pollLast()) != null; ) {
            if (ch.isActive()) {
                lendAfter(protocol.beforeReuse(ch), ch, promise);
                return promise;
            }
        }
        if (open < maxConnections) {
            connect(promise);
        } else {
            waiters.add(promise);
            ScheduledFuture<?> timeout = loop.schedule(() -> {
                if (waiters.remove(promise)) {
                    promise.tryFailure(new PoolExhaustedException("all " + maxConnections + " connections to "
                            + address + " stayed busy for " + waitMillis + " ms"));
                }
            }, waitMillis, TimeUnit.MILLISECONDS);
            promise.addListener(f -> timeout.cancel(false));
        }
        return promise;
    }

    private void connect(Promise<Channel> promise) {
        open++;
        ChannelFuture connect = bootstrap.connect(address);
        Channel ch = connect.channel();
        ch.closeFuture().addListener(f -> onClosed(ch));
        connect.addListener(f -> {
            if (f.isSuccess()) {
                lendAfter(protocol.afterConnect(ch), ch, promise);
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    /** Lends {@code ch} once its check (if any) passed; a failed check closes it and fails the acquire. */
    private void lendAfter(Future<Void> check, Channel ch, Promise<Channel> promise) {
        if (check == null) {
            if (!promise.trySuccess(ch)) {
                release(ch, true);
            }
            return;
        }
        check.addListener(c -> {
            if (c.isSuccess()) {
                if (!promise.trySuccess(ch)) {
                    release(ch, true);
                }
            } else {
                ch.close();
                promise.tryFailure(c.cause());
            }
        });
    }

    private void onClosed(Channel ch) {
        open--;
        idle.remove(ch);
        if (!closed && open < maxConnections && !waiters.isEmpty()) {
            connect(waiters.poll());
        }
    }

    /**
     * Returns a leased connection.
     *
     * @param reusable whether the exchange ended cleanly (request fully sent, response fully read,
     *                 worker said keep-alive); otherwise the connection is closed
     */
    public void release(Channel ch, boolean reusable) {
        BackendHandler handler = BackendHandler.of(ch);
        boolean workerKeeps = handler.workerKeepsConnection();
        handler.unlease();
        if (!reusable || !workerKeeps || closed || !ch.isActive()) {
            ch.close();
            return;
        }
        for (Promise<Channel> waiter; (waiter = waiters.poll()) != null; ) {
            if (waiter.trySuccess(ch)) {
                return;
            }
        }
        if (idle.size() >= maxIdle) {
            ch.close();
            return;
        }
        idle.addLast(ch);
        ch.read(); // notice the worker closing this idle connection (BackendHandler closes on anything read)
    }

    public int open() {
        return open;
    }

    /** Stops lending: idle connections close now, busy ones when released. */
    public void close() {
        if (!loop.inEventLoop()) {
            loop.execute(this::close);
            return;
        }
        closed = true;
        for (Channel ch; (ch = idle.poll()) != null; ) {
            ch.close();
        }
        for (Promise<Channel> waiter; (waiter = waiters.poll()) != null; ) {
            waiter.tryFailure(new IllegalStateException("pool for " + address + " closed"));
        }
    }
}
