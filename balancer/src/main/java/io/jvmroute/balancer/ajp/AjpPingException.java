package io.jvmroute.balancer.ajp;

/** A CPing got no CPong in time (or the connection closed first): mod_jk counts the worker as failed. */
public final class AjpPingException extends Exception {

    AjpPingException(String message) {
        super(message, null, false, false);
    }
}
