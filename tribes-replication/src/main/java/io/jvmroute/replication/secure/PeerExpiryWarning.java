package io.jvmroute.replication.secure;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Peers renew their own certificates; this node tells, once per certificate, when a peer connects with one that
 * is about to lock it out of the cluster.
 */
final class PeerExpiryWarning {

    private static final Log log = LogFactory.getLog(TlsReceiver.class); // TlsReceiver's messages keep its logger
    private static final StringManager sm = StringManager.getManager(PeerExpiryWarning.class);

    private final Set<BigInteger> warned = ConcurrentHashMap.newKeySet();
    private volatile int warningDays = 30;

    void setWarningDays(int days) {
        this.warningDays = days;
    }

    void check(X509Certificate peer, String address) {
        Instant notAfter = peer.getNotAfter().toInstant();
        long days = Duration.between(Instant.now(), notAfter).toDays();
        if (days < warningDays && warned.add(peer.getSerialNumber())) {
            log.warn(sm.getString("tlsReceiver.peerExpiry", address, peer.getSubjectX500Principal().getName(),
                    Long.valueOf(days), notAfter));
        }
    }
}
