package io.jvmroute.balancer.ajp;

import org.slf4j.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tomcat's AJP connector answers a request without its secret, or with another one, with 403 and closes the
 * connection (END_RESPONSE reuse=0; Tomcat 10.1/11 require a secret by default). An application's own 403
 * keeps the connection. This says so in one line per worker and minute, which is what an operator upgrading
 * a pre-Ghostcat setup needs to read instead of a page of 403s.
 */
final class SecretRefusals {

    private static final long QUIET_MILLIS = 60_000;
    private static final Map<String, Long> LAST = new ConcurrentHashMap<>();

    private SecretRefusals() {
    }

    static void report(Logger log, String worker, String address, boolean secretSent) {
        long now = System.currentTimeMillis();
        boolean[] due = new boolean[1];
        LAST.compute(worker, (w, last) -> {
            due[0] = last == null || now - last >= QUIET_MILLIS;
            return due[0] ? now : last;
        });
        if (!due[0]) {
            return;
        }
        log.warn("worker {} ({}): Tomcat's AJP connector answered 403 and closed the connection, as it does for a {}"
                        + " secret: set worker.{}.secret to the secret of the node's AJP <Connector>",
                worker, address, secretSent ? "wrong" : "missing", worker);
    }
}
