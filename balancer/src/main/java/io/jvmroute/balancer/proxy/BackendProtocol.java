package io.jvmroute.balancer.proxy;

import io.jvmroute.balancer.ajp.AjpClientHandler;
import io.jvmroute.config.AjpOptions;
import io.jvmroute.config.WorkerDef;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * What differs between the protocols the balancer speaks to workers, for their connection pools: the
 * handlers in front of the response parser, and the checks on a connection before it is lent (mod_jk's
 * CPing modes for AJP13). Everything after that is the same for both.
 */
interface BackendProtocol {

    /** HTTP/1.1: nothing in front of the parser, no checks. */
    BackendProtocol HTTP = new BackendProtocol() {
    };

    /** AJP13 with this worker's options. */
    static BackendProtocol of(WorkerDef worker) {
        if (!worker.speaksAjp()) {
            return HTTP;
        }
        AjpOptions ajp = worker.ajp();
        long timeout = ajp.pingTimeout().toMillis();
        long idlePing = ajp.pingWhenIdle() ? ajp.effectivePingInterval().toMillis() : 0;
        return new BackendProtocol() {
            @Override
            public void addHandlers(Channel ch) {
                ch.pipeline().addLast(new AjpClientHandler(worker.name(), ajp.secret().isPresent(), ajp.maxPacketSize(),
                        idlePing, timeout));
            }

            @Override
            public Future<Void> afterConnect(Channel ch) {
                return ajp.pingOnConnect() ? AjpClientHandler.ping(ch) : null;
            }

            @Override
            public Future<Void> beforeReuse(Channel ch) {
                return ajp.pingBeforeRequest() ? AjpClientHandler.ping(ch) : null;
            }
        };
    }

    /** Handlers that go before the response parser. */
    default void addHandlers(Channel ch) {
    }

    /** A check of a new connection before it is lent, or null for none. */
    default Future<Void> afterConnect(Channel ch) {
        return null;
    }

    /** A check of a kept connection before it is lent again, or null for none. */
    default Future<Void> beforeReuse(Channel ch) {
        return null;
    }
}
