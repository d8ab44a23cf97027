package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

import java.net.InetAddress;

/**
 * HTTP/1.1 to the worker: the head {@link ProxyHeaders} prepared once per request (the failover line added
 * per attempt), body bytes as the client sent them, the answer read by the connection's {@link ResponseParser}.
 * Stateless, so one instance serves every connection.
 */
final class HttpWire implements BackendWire {

    static final HttpWire INSTANCE = new HttpWire();

    private HttpWire() {
    }

    @Override
    public ByteBuf prepare(ChannelHandlerContext front, Exchange ex, InetAddress client, String clientText) {
        // WebSocket and the like: asked of the worker, tunnelled after its 101
        return ex.runtime.headers().toBackend(front.alloc(), ex.request, client, clientText, ex.runtime.tls(), ex.upgrade);
    }

    @Override
    public void begin(Channel backend, Exchange ex) {
        // the parser must know what answer to expect before the first byte of it can arrive
        ResponseParser.of(backend).expect(ex.request.isHead(), ex.upgrade != null, ex.http10);
        // the same head for every attempt but for the failover line
        backend.write(ex.runtime.headers().forAttempt(backend.alloc(), ex.backendHead, ex.decision.movedFromRoute()));
        ex.writeReplay(backend::write);
        for (ByteBuf part; (part = ex.unsent.poll()) != null; ) {
            ex.keepForReplay(part, ex.runtime.settings().retryBuffer());
            backend.write(part);
        }
        backend.flush();
        backend.read();
    }

    @Override
    public void send(Channel backend, Exchange ex, ByteBuf part) {
        backend.write(part);
    }

    @Override
    public boolean clean(Channel backend) {
        return ResponseParser.of(backend).holdsNothing();
    }
}
