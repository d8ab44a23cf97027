package io.jvmroute.replication.secure;

import io.jvmroute.route.RouteCertificateName;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts what the cluster CA signed (the JDK's PKIX checks: signature, validity, key usage), says why it does
 * not, and — unless {@code verifyPeerRoute="false"} — pins the peer to its route: its certificate's subject
 * alternative name {@code jvmroute:route:<route>} must be the route {@code members} lists at the peer's address
 * (several nodes behind one address: one of theirs; frames are then pinned to the certificate's own route). Without the pin, any
 * node of the cluster could present itself as any other.
 */
final class RouteTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager cluster;
    private final PeerRoutes routes;
    private final boolean verifyRoute;

    RouteTrustManager(X509ExtendedTrustManager cluster, PeerRoutes routes, boolean verifyRoute) {
        this.cluster = cluster;
        this.routes = routes;
        this.verifyRoute = verifyRoute;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            cluster.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw refusal(chain, e);
        }
        if (verifyRoute) {
            InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
            checkNames(chain[0], routes.routesAt(peer.getAddress()), peer.getAddress().getHostAddress());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            cluster.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw refusal(chain, e);
        }
        if (verifyRoute) {
            InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
            String route = routes.routeAt(peer);
            checkNames(chain[0], route == null ? Set.of() : Set.of(route),
                    peer.getAddress().getHostAddress() + ":" + peer.getPort());
        }
    }

    private static void checkNames(X509Certificate certificate, Set<String> expected, String address)
            throws CertificateException {
        Set<String> names = routeNames(certificate);
        if (names.isEmpty()) {
            String subject = certificate.getSubjectX500Principal().getName();
            throw new PeerRefusal("the certificate " + subject + " names no route (no subject alternative name "
                    + RouteCertificateName.PREFIX + "<route>, which jvmroute tls writes since the CN and DNS names no "
                    + "longer count); reissue it: move <route>.crt and <route>.key out of the cluster's folder and run "
                    + "`jvmroute tls add --out <folder> --route <route>`", null);
        }
        if (names.stream().noneMatch(expected::contains)) {
            throw new PeerRefusal("route mismatch: the certificate names " + names + " but members lists "
                    + (expected.isEmpty() ? "no member" : expected) + " at " + address, null);
        }
    }

    /**
     * The routes a certificate names: its URI subject alternative names {@code jvmroute:route:<route>}
     * ({@link RouteCertificateName}). Not the CN, not DNS names: a host name equal to another route must not count.
     */
    static Set<String> routeNames(X509Certificate certificate) {
        Set<String> names = new TreeSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> san : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(6).equals(san.get(0))) { // uniformResourceIdentifier
                        String route = RouteCertificateName.routeOf(String.valueOf(san.get(1)));
                        if (route != null) {
                            names.add(route);
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable SAN: the certificate names no route, and is refused saying so
        }
        return names;
    }

    /** Why PKIX said no, in the words of the log line: expired, not yet valid, or not signed by the cluster CA. */
    private static PeerRefusal refusal(X509Certificate[] chain, CertificateException e) {
        if (chain == null || chain.length == 0) {
            return new PeerRefusal("no certificate", e);
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException expired) {
            return new PeerRefusal("expired certificate: " + subject + " expired on " + leaf.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException notYet) {
            return new PeerRefusal("certificate not yet valid: " + subject + " from " + leaf.getNotBefore().toInstant(), e);
        }
        return new PeerRefusal("untrusted certificate: " + subject + " issued by "
                + leaf.getIssuerX500Principal().getName() + " is not signed by the cluster CA", e);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("jvmroute's TLS transport uses sockets, not SSLEngine");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("jvmroute's TLS transport uses sockets, not SSLEngine");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a peer check needs the socket, to know the peer's address");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a peer check needs the socket, to know the peer's address");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return cluster.getAcceptedIssuers();
    }
}
