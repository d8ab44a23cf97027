package io.jvmroute.replication;

import io.jvmroute.tls.ClusterPki;
import io.jvmroute.tls.PemFiles;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.membership.MemberImpl;

/**
 * Key material as {@code jvmroute tls init} makes it ({@link ClusterPki}), and the raw clients of the tests:
 * a plain TCP socket or a TLS socket with any certificate, leaving from a chosen loopback address, that send a
 * genuine Tribes frame.
 */
final class TestPki {

    private TestPki() {
    }

    static ClusterPki init(Path dir) throws Exception {
        return ClusterPki.init(dir, "test", ClusterPki.DEFAULT_CA_VALIDITY);
    }

    static ClusterPki.NodeMaterial issue(ClusterPki pki, String route) throws Exception {
        return issue(pki, route, ClusterPki.DEFAULT_NODE_VALIDITY);
    }

    static ClusterPki.NodeMaterial issue(ClusterPki pki, String route, Duration validity) throws Exception {
        return pki.issue(route, List.of(), validity);
    }

    /**
     * A node certificate as jvmroute issued them before the route got its own name: CN and DNS name only, no
     * {@code jvmroute:route:} URI. Signed by the cluster CA in {@code clusterDir}.
     */
    static ClusterPki.NodeMaterial issueWithoutRouteName(Path clusterDir, String route) throws Exception {
        X509Certificate ca = PemFiles.readCertificates(clusterDir.resolve("ca.crt")).get(0);
        java.security.PrivateKey caKey = PemFiles.readPrivateKey(clusterDir.resolve("ca.key"));
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair keys = generator.generateKeyPair();
        java.time.Instant now = java.time.Instant.now();
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minusSeconds(300)),
                java.util.Date.from(now.plusSeconds(86_400)), new org.bouncycastle.asn1.x500.X500Name("O=jvmroute,CN=" + route),
                keys.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(false));
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyAgreement));
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                new org.bouncycastle.asn1.x509.ExtendedKeyUsage(new org.bouncycastle.asn1.x509.KeyPurposeId[] {
                        org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth,
                        org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.dNSName, route)));
        X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
        Path dir = java.nio.file.Files.createTempDirectory("jvmroute-legacy-" + route);
        Path certificateFile = java.nio.file.Files.writeString(dir.resolve(route + ".crt"),
                PemFiles.encode("CERTIFICATE", certificate.getEncoded()));
        Path keyFile = java.nio.file.Files.writeString(dir.resolve(route + ".key"),
                PemFiles.encode("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new ClusterPki.NodeMaterial(route, certificateFile, keyFile, clusterDir.resolve("ca.crt"), certificate);
    }

    /** The cluster settings for a node's material, exactly the attributes `jvmroute tls init` prints. */
    static Consumer<RouteCluster> tls(ClusterPki.NodeMaterial material) {
        return c -> {
            c.setInsecure("false");
            c.setCertificateFile(material.certificateFile().toString());
            c.setCertificateKeyFile(material.keyFile().toString());
            c.setCaCertificateFile(material.caCertificateFile().toString());
        };
    }

    /** A genuine Tribes frame (XByteBuffer package of a ChannelData) carrying {@code payload} serialized. */
    static byte[] frame(Serializable payload, int options) throws IOException {
        return frame((String) null, payload, options);
    }

    /** A frame whose sender member publishes {@code claimedRoute} in its membership payload (if not null). */
    static byte[] frame(String claimedRoute, Serializable payload, int options) throws IOException {
        MemberImpl sender = new MemberImpl("127.0.0.99", 4999, 0);
        if (claimedRoute != null) {
            sender.setPayload(io.jvmroute.membership.MemberPayload.of(claimedRoute,
                    io.jvmroute.membership.MemberState.ACTIVE).encode());
            sender.setUniqueId(io.jvmroute.replication.secure.MemberIds.of(claimedRoute));
        }
        return frame(sender, payload, options);
    }

    /** A frame from the given sender member (the frame header's member) carrying {@code payload} serialized. */
    static byte[] frame(MemberImpl sender, Serializable payload, int options) throws IOException {
        ChannelData data = new ChannelData(true);
        data.setAddress(sender);
        data.setTimestamp(System.currentTimeMillis());
        data.setOptions(options);
        data.setMessage(new XByteBuffer(XByteBuffer.serialize(payload), false));
        return XByteBuffer.createDataPackage(data);
    }

    /** Connects from {@code fromHost} in plain TCP, sends the frame; returns the answered package, or nothing. */
    static byte[] sendPlain(String fromHost, String host, int port, byte[] frame) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromHost, 0));
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(frame);
            socket.getOutputStream().flush();
            return readSome(socket);
        }
    }

    /**
     * A TLS 1.3 client presenting {@code certificate}/{@code key} (trusting any server, as an attacker would):
     * sends the frame and returns what the node answered before closing (an acknowledgement, or nothing).
     */
    static byte[] sendTls(String fromHost, String host, int port, Path certificate, Path key, byte[] frame)
            throws Exception {
        SSLContext context = clientContext(certificate, key);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.bind(new InetSocketAddress(fromHost, 0));
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(5_000);
            try {
                socket.startHandshake();
                socket.getOutputStream().write(frame);
                socket.getOutputStream().flush();
                return readSome(socket);
            } catch (IOException refused) {
                return new byte[0]; // the node refused the handshake: what the tests expect from strangers
            }
        }
    }

    private static byte[] readSome(Socket socket) {
        byte[] buffer = new byte[256];
        XByteBuffer received = new XByteBuffer(256, false);
        try {
            for (int n; !received.doesPackageExist() && (n = socket.getInputStream().read(buffer)) >= 0; ) {
                received.append(buffer, 0, n);
            }
        } catch (IOException closed) {
            // refused: closed or reset
        }
        return received.doesPackageExist() ? received.extractDataPackage(true).getBytes() : new byte[0];
    }

    private static SSLContext clientContext(Path certificateFile, Path keyFile) throws Exception {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", PemFiles.readPrivateKey(keyFile), new char[0], chain.toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), new TrustManager[] {new TrustAnything()}, null);
        return context;
    }

    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
