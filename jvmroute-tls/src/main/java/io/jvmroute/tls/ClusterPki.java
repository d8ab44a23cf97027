package io.jvmroute.tls;

import io.jvmroute.route.IdProblem;
import io.jvmroute.route.SessionId;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's key material: one CA per cluster and one key pair + certificate per node, as PEM files in
 * one folder. A node's certificate names its route (subject CN and a DNS subject alternative name), so a
 * node can pin a peer's identity to the route it claims. Keys are EC P-256 and are written owner-only
 * ({@code rw-------}) from the moment the file exists; nothing is ever overwritten.
 *
 * <pre>
 *   ca.crt  ca.key            the cluster CA (keep ca.key offline once the nodes are issued)
 *   jvm1.crt  jvm1.key        node jvm1: certificate (signed by the CA) and private key
 * </pre>
 */
public final class ClusterPki {

    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_NODE_VALIDITY = Duration.ofDays(825);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    private ClusterPki(Path dir, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** Creates {@code dir} (owner-only) with a new cluster CA; refuses if a CA is already there. */
    public static ClusterPki init(Path dir, String clusterName, Duration validity) throws IOException, GeneralSecurityException {
        Objects.requireNonNull(clusterName, "clusterName");
        if (Files.exists(dir.resolve("ca.key")) || Files.exists(dir.resolve("ca.crt"))) {
            throw new FileAlreadyExistsException(dir.resolve("ca.key").toString(), null,
                    "a cluster CA is already there (use `jvmroute tls add` to issue another node)");
        }
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // An existing folder (made by hand, or by mkdir under a lax umask) is tightened too: it will hold keys.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        KeyPair ca = newKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "jvmroute").addRDN(BCStyle.CN, "jvmroute cluster CA " + clusterName).build();
        X509v3CertificateBuilder builder = builder(name, name, ca, validity);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(ca.getPublic()));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate", e);
        }
        X509Certificate certificate = sign(builder, ca.getPrivate());
        writeKey(dir.resolve("ca.key"), ca.getPrivate());
        writeCertificate(dir.resolve("ca.crt"), certificate);
        return new ClusterPki(dir, certificate, ca.getPrivate());
    }

    /** The CA in {@code dir}, to issue more nodes. */
    public static ClusterPki load(Path dir) throws IOException, GeneralSecurityException {
        X509Certificate ca = PemFiles.readCertificates(dir.resolve("ca.crt")).get(0);
        return new ClusterPki(dir, ca, PemFiles.readPrivateKey(dir.resolve("ca.key")));
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /**
     * Issues {@code <route>.crt} and {@code <route>.key} for a node, usable both as TLS server and client.
     *
     * @param hosts extra host names or IP addresses the certificate should also name (may be empty)
     */
    public NodeMaterial issue(String route, List<String> hosts, Duration validity) throws IOException, GeneralSecurityException {
        IdProblem problem = SessionId.checkRoute(route);
        if (problem != null) {
            throw new IllegalArgumentException("route: " + route + " (expected: a valid jvmRoute, not " + problem.description() + ")");
        }
        Path certificateFile = dir.resolve(route + ".crt");
        Path keyFile = dir.resolve(route + ".key");
        if (Files.exists(certificateFile) || Files.exists(keyFile)) {
            throw new FileAlreadyExistsException(certificateFile.toString(), null, "node " + route + " already has key material");
        }
        KeyPair node = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "jvmroute").addRDN(BCStyle.CN, route).build();
        X509v3CertificateBuilder builder = builder(X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                subject, node, validity);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(route, hosts));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(node.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCertificate));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build the certificate of " + route, e);
        }
        X509Certificate certificate = sign(builder, caKey);
        writeKey(keyFile, node.getPrivate());
        writeCertificate(certificateFile, certificate);
        return new NodeMaterial(route, certificateFile, keyFile, dir.resolve("ca.crt"), certificate);
    }

    private static GeneralNames subjectAltNames(String route, List<String> hosts) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, route));
        // The name peers pin this node on (RouteCertificateName); the DNS name above is for host name checks only.
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, io.jvmroute.route.RouteCertificateName.uri(route)));
        for (String host : hosts) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), // tolerate small clock differences between nodes
                Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate", e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        // Created owner-only and written through the handle that created it: the key is never readable by others,
        // and nothing swapped in at that path between a create and a later open receives it.
        try (var channel = Files.newByteChannel(file, java.util.EnumSet.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            java.nio.ByteBuffer pem = java.nio.ByteBuffer.wrap(
                    PemFiles.encode("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
            while (pem.hasRemaining()) {
                channel.write(pem);
            }
        }
    }

    private static void writeCertificate(Path file, X509Certificate certificate) throws IOException, GeneralSecurityException {
        Files.writeString(file, PemFiles.encode("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
    }

    /**
     * One node's files.
     *
     * @param certificate the issued certificate (also in {@code certificateFile})
     */
    public record NodeMaterial(String route, Path certificateFile, Path keyFile, Path caCertificateFile,
                               X509Certificate certificate) {

        /** The RouteCluster attributes that make this node use its material. */
        public String clusterAttributes() {
            return "certificateFile=\"" + certificateFile + "\" certificateKeyFile=\"" + keyFile
                    + "\" caCertificateFile=\"" + caCertificateFile + "\"";
        }
    }
}
