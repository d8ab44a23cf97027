package io.jvmroute.balancer.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The deadlines a slow or malicious client must meet, so that it cannot hold the balancer's and the workers'
 * connections by sending or reading slowly (slowloris, a stalled upload, a client that stopped reading):
 * <ul>
 *   <li>{@code head_timeout}: a request head must be complete within this time of the connection opening or of
 *       its first bytes; a byte at a time does not extend it. Else 408 and close (counted).</li>
 *   <li>{@code body_timeout}: while the proxy wants more of a request body, the client must send something within
 *       this time (the READER_IDLE of the {@code IdleStateHandler} before this handler). Else the request fails
 *       with 408 (or is cut off if its response started) and its worker connection is closed.</li>
 *   <li>{@code send_timeout}: while response bytes wait to be written, the client must take some within this
 *       time (WRITER_IDLE, with the output observed). Else the connection closes.</li>
 * </ul>
 * Sits after the {@link RequestParser}: it sees heads and body parts go by, and the proxy's read requests go
 * through it (autoRead is off), which tells waiting for the client from the proxy holding it back. Its verdicts
 * reach the {@link FrontendHandler} as a {@link RequestParser.Malformed} (status 408), the way the parser's own
 * refusals do; the idle events it uses are not passed on.
 */
final class ClientDeadlines extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClientDeadlines.class);

    /** Fired by the {@link RequestParser} when it holds the start of a head it could not finish in one read. */
    static final Object HEAD_STARTED = new Object() {
        @Override
        public String toString() {
            return "HEAD_STARTED";
        }
    };

    private final long headTimeoutNanos;
    private final ClientLimits counters;
    /** When the head being read is due ({@link System#nanoTime}), 0 when none is being read. */
    private long headDeadline;
    private ScheduledFuture<?> headTimer;
    /** A request body is still to come from the client. */
    private boolean bodyPending;
    /** The proxy asked for a read that has not been answered yet: it waits for the client. */
    private boolean readWanted;
    private boolean refused;

    ClientDeadlines(long headTimeoutNanos, ClientLimits counters) {
        this.headTimeoutNanos = headTimeoutNanos;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        headStarted(ctx); // a connection that sends nothing is a head that never completes
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readWanted = false;
        if (msg instanceof RequestHead head) {
            headDeadline = 0;
            bodyPending = head.framing != RequestHead.Framing.NONE;
        } else if (msg instanceof RequestBody body && body.last) {
            bodyPending = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        readWanted = true;
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HEAD_STARTED) {
            headStarted(ctx);
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (bodyPending && readWanted && !refused) {
                refuse(ctx, "the request body stalled: nothing for longer than balancer.body_timeout");
            }
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
            var out = ctx.channel().unsafe().outboundBuffer();
            if (out != null && out.totalPendingWriteBytes() > 0) {
                LOG.debug("client {} took nothing of its response for longer than balancer.send_timeout: closed",
                        ctx.channel().remoteAddress());
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void headStarted(ChannelHandlerContext ctx) {
        if (headDeadline != 0) {
            return; // the same head, still coming
        }
        headDeadline = System.nanoTime() + headTimeoutNanos;
        if (headTimer == null) {
            armHeadTimer(ctx, headDeadline);
        }
    }

    /** One timer per connection, re-armed while a later deadline is pending (not one task per request). */
    private void armHeadTimer(ChannelHandlerContext ctx, long deadline) {
        headTimer = ctx.executor().schedule(() -> checkHead(ctx), deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void checkHead(ChannelHandlerContext ctx) {
        headTimer = null;
        if (headDeadline == 0 || refused || !ctx.channel().isActive()) {
            return;
        }
        if (headDeadline - System.nanoTime() > 0) {
            armHeadTimer(ctx, headDeadline);
            return;
        }
        counters.headTimedOut();
        refuse(ctx, "the request head was not complete within balancer.head_timeout");
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        refused = true;
        LOG.debug("client {}: {}", ctx.channel().remoteAddress(), why);
        ctx.fireChannelRead(new RequestParser.Malformed(408, why));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
        ctx.fireChannelInactive();
    }
}
