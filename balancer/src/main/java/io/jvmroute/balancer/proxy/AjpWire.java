package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.ajp.AjpForwardRequest;
import io.jvmroute.balancer.routing.WorkerState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * AJP13 to the worker: the request written once as a FORWARD_REQUEST ({@link AjpExchange}), a packet per
 * attempt with the worker's secret, route and activation, the body without HTTP framing, its end told. The
 * connection's {@link io.jvmroute.balancer.ajp.AjpClientHandler} turns the answer into HTTP/1.1 for its
 * {@link ResponseParser}, so responses are handled as from an HTTP worker. Stateless: what a request needs
 * lives in its {@link Exchange}.
 */
final class AjpWire implements BackendWire {

    static final AjpWire INSTANCE = new AjpWire();

    private AjpWire() {
    }

    /** Writes nothing in HTTP: the FORWARD_REQUEST goes to {@link Exchange#ajp}; returns null. */
    @Override
    public ByteBuf prepare(ChannelHandlerContext front, Exchange ex, InetAddress client, String clientText) {
        InetSocketAddress remote = front.channel().remoteAddress() instanceof InetSocketAddress inet
                ? inet : new InetSocketAddress(client, 0);
        ex.ajp = AjpExchange.of(front, ex.request, ex.runtime, remote, clientText);
        return null;
    }

    @Override
    public Refusal prepareAttempt(Exchange ex) {
        WorkerState worker = ex.decision.worker();
        // h2c is an offer a server may ignore (Java's HttpClient makes it by default): over AJP13 it is ignored
        if (ex.upgrade != null && !ex.upgrade.trim().equalsIgnoreCase("h2c")) {
            return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED, "worker " + worker.name() + " is spoken to in AJP13,"
                    + " which cannot carry an Upgrade (" + ex.upgrade + "); give it an http_port or type=http for WebSocket");
        }
        ex.releaseAjpStart(); // an earlier attempt's, never written (its connect failed)
        try {
            ex.ajpStart = ex.ajp.start(worker, ex.decision.movedFromRoute(), ex.runtime.headers().failoverHeader());
            return null;
        } catch (AjpForwardRequest.TooLargeException e) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, e.getMessage());
        }
    }

    @Override
    public void begin(Channel backend, Exchange ex) {
        // the parser reads the HTTP/1.1 the AJP handler makes of the answer: it must know what it answers
        ResponseParser.of(backend).expect(ex.request.isHead(), false, ex.http10);
        backend.write(ex.ajpStart);
        ex.ajpStart = null;
        ex.ajp.continueIfExpected(ex.requestComplete);
        ex.writeReplay(part -> ex.ajp.write(backend, part));
        for (ByteBuf part; (part = ex.unsent.poll()) != null; ) {
            ex.keepForReplay(part, ex.runtime.settings().retryBuffer());
            ex.ajp.write(backend, part);
        }
        if (ex.requestComplete) {
            ex.ajp.end(backend);
        }
        backend.flush();
        backend.read();
    }

    @Override
    public void send(Channel backend, Exchange ex, ByteBuf part) {
        ex.ajp.write(backend, part);
    }

    @Override
    public void end(Channel backend, Exchange ex) {
        ex.ajp.end(backend);
    }

    @Override
    public boolean clean(Channel backend) {
        return ResponseParser.of(backend).holdsNothing();
    }
}
