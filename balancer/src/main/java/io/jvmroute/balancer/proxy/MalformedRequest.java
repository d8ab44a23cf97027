package io.jvmroute.balancer.proxy;

/**
 * A client request the balancer refuses (400, 414, 431); thrown inside the parser only, so without a stack
 * trace.
 */
final class MalformedRequest extends Exception {

    final int status;

    MalformedRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static MalformedRequest bad(String message) {
        return new MalformedRequest(400, message);
    }
}
