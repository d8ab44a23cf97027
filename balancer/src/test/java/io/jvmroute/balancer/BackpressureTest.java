package io.jvmroute.balancer;

import io.jvmroute.balancer.routing.WorkerState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A slow client must slow the worker down, not fill the balancer's memory. */
class BackpressureTest {

    private static final int CHUNK = 64 * 1024;
    private static final long TOTAL = 64L * 1024 * 1024;

    private final Fixture f = new Fixture();
    private final AtomicLong sent = new AtomicLong();

    @AfterEach
    void stop() {
        f.close();
    }

    /** Streams TOTAL bytes, one chunk at a time: the next is written only when the last left the process. */
    private void stream(ChannelHandlerContext ctx) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, TOTAL);
        ctx.writeAndFlush(head);
        writeChunk(ctx);
    }

    private void writeChunk(ChannelHandlerContext ctx) {
        if (sent.get() >= TOTAL) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        ByteBuf chunk = ctx.alloc().buffer(CHUNK).writeZero(CHUNK);
        ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess()) {
                sent.addAndGet(CHUNK);
                writeChunk(ctx);
            }
        });
    }

    @Test
    void aClientThatStopsReadingStallsTheWorkerAndThenGetsEveryByte() throws Exception {
        f.backends(1).start("");
        f.backend("jvm1").respond((self, ctx, request) -> stream(ctx));

        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
            client.setSoTimeout(20_000);
            client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

            // The balancer must stop reading from the worker once the client's side is full: what it
            // took is bounded by its send buffer to the client (a few MB), not by the response size.
            // (What the worker managed to send also depends on the kernel's receive autotuning, so the
            // balancer's own count is the measure.)
            WorkerState worker = f.balancer.runtime().router().workers().get(0);
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long now = worker.bytesOut();
                boolean stalled = now > 0 && now == last[0];
                last[0] = now;
                return stalled;
            });
            assertThat(worker.bytesOut()).isLessThan(16L * 1024 * 1024);

            assertThat(readResponseBody(client.getInputStream())).isEqualTo(TOTAL);
        }
    }

    private static long readResponseBody(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the headers: " + head);
            }
            head.append((char) c);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        long total = 0;
        byte[] buf = new byte[256 * 1024];
        while (total < TOTAL) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
