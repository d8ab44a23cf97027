package io.jvmroute.balancer.proxy;

/** What a leased backend connection reports to the exchange using it; every call is on that event loop. */
interface BackendListener {

    /** A part of the worker's response; the listener owns (and must release or pass on) it. */
    void backendRead(ResponsePart part);

    /** The end of one read: time to flush to the client and decide whether to read on. */
    void backendReadComplete();

    /** The connection to the worker can take more of the request body. */
    void backendWritable();

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void backendClosed(Throwable cause);
}
