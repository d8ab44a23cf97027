package io.jvmroute.balancer.proxy;

import io.netty.handler.codec.http.HttpObject;

/** What a leased backend connection reports to the exchange using it; every call is on that event loop. */
interface BackendListener {

    /** A part of the worker's response; the listener owns (and must release) it. */
    void backendRead(HttpObject msg);

    /** The end of one read: time to flush to the client and decide whether to read on. */
    void backendReadComplete();

    /** The connection to the worker can take more of the request body. */
    void backendWritable();

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void backendClosed(Throwable cause);
}
