package io.jvmroute.balancer.proxy;

/** A worker's response that is not valid HTTP/1.x; thrown inside the parser only, so without a stack trace. */
final class MalformedResponse extends Exception {

    MalformedResponse(String message) {
        super(message, null, false, false);
    }
}
