package io.jvmroute.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

import java.net.InetAddress;

/**
 * The wire of each attempt's worker: {@link HttpWire} or {@link AjpWire} (an lb may mix them). A request is
 * prepared for every protocol its lb's workers speak, once; each attempt then goes by its worker's.
 */
final class WorkerWires implements BackendWire {

    static final WorkerWires INSTANCE = new WorkerWires();

    private WorkerWires() {
    }

    private static BackendWire of(Exchange ex) {
        return ex.decision.worker().def().speaksAjp() ? AjpWire.INSTANCE : HttpWire.INSTANCE;
    }

    @Override
    public ByteBuf prepare(ChannelHandlerContext front, Exchange ex, InetAddress client, String clientText) {
        if (ex.runtime.anyAjp()) {
            AjpWire.INSTANCE.prepare(front, ex, client, clientText);
        }
        return ex.runtime.anyHttp() ? HttpWire.INSTANCE.prepare(front, ex, client, clientText) : null;
    }

    @Override
    public Refusal prepareAttempt(Exchange ex) {
        return of(ex).prepareAttempt(ex);
    }

    @Override
    public void begin(Channel backend, Exchange ex) {
        of(ex).begin(backend, ex);
    }

    @Override
    public void send(Channel backend, Exchange ex, ByteBuf part) {
        of(ex).send(backend, ex, part);
    }

    @Override
    public void end(Channel backend, Exchange ex) {
        of(ex).end(backend, ex);
    }

    @Override
    public boolean clean(Channel backend) {
        return ResponseParser.of(backend).holdsNothing();
    }
}
