package io.jvmroute.replication.secure;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;

/**
 * A peer certificate refused during the TLS handshake, with the reason an operator reads in the log:
 * {@code untrusted}, {@code expired}, {@code route mismatch}... Travels as the cause of the handshake failure.
 */
final class PeerRefusal extends CertificateException {

    private static final long serialVersionUID = 1L;

    PeerRefusal(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The operator's reason for a failed handshake or connection, from its exception chain. */
    static String reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PeerRefusal refusal) {
                return refusal.getMessage();
            }
        }
        String text = String.valueOf(failure.getMessage());
        if (failure instanceof EOFException || text.contains("Remote host terminated the handshake")) {
            return "closed during the TLS handshake";
        }
        if (failure instanceof SocketTimeoutException) {
            return "no TLS handshake within the timeout";
        }
        if (text.contains("Unsupported or unrecognized SSL message")) {
            return "not TLS (a plaintext client?)";
        }
        if (text.contains("Empty client certificate chain") || text.contains("null cert chain")) {
            return "no client certificate";
        }
        if (text.contains("protocol_version") || text.contains("No appropriate protocol")) {
            return "not TLS 1.3 (" + text + ")";
        }
        if (text.contains("bad_certificate") || text.contains("certificate_unknown") || text.contains("unknown_ca")
                || text.contains("certificate_expired")) {
            return "the peer refused this node's certificate (" + text + ")";
        }
        return failure.getClass().getSimpleName() + ": " + text;
    }
}
