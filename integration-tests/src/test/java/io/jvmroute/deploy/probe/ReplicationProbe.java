package io.jvmroute.deploy.probe;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.catalina.tribes.io.ChannelData;
import org.apache.catalina.tribes.io.XByteBuffer;
import org.apache.catalina.tribes.membership.MemberImpl;

/**
 * What a machine that is not a member tries against a node's replication port (run in a container of its own):
 * a well-formed Tribes frame carrying a serialized {@link Canary}, once over plain TCP and once over TLS with a
 * self-signed certificate. Prints one line per attempt: {@code PLAIN ...} and {@code SELF-SIGNED ...}.
 *
 * <pre>java -cp PROBE:TOMCAT/lib/* io.jvmroute.deploy.probe.ReplicationProbe HOST PORT KEYSTORE.p12 PASSWORD</pre>
 */
public final class ReplicationProbe {

    private ReplicationProbe() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        byte[] frame = frame(host, port);
        System.out.println("PLAIN " + attempt(plain(host, port), frame));
        System.out.println("SELF-SIGNED " + attempt(selfSigned(host, port, args[2], args[3].toCharArray()), frame));
    }

    private interface Connector {
        Socket connect() throws IOException;
    }

    private static String attempt(Connector connector, byte[] frame) {
        try (Socket socket = connector.connect()) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[64];
            int read = in.read(answer);
            return "sent " + frame.length + " bytes; answer: " + (read < 0 ? "connection closed" : read + " bytes");
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    private static Connector plain(String host, int port) {
        return () -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 3000);
            return socket;
        };
    }

    private static Connector selfSigned(String host, int port, String keystore, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        X509KeyManager own = (X509KeyManager) factory.getKeyManagers()[0];
        String alias = store.aliases().nextElement();
        // Present the self-signed certificate whatever CAs the node asks for (the stock key manager would send none).
        X509KeyManager always = new X509KeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return alias;
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {alias};
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String name) {
                return own.getCertificateChain(name);
            }

            @Override
            public PrivateKey getPrivateKey(String name) {
                return own.getPrivateKey(name);
            }
        };
        TrustManager trustAll = new X509TrustManager() {
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
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[] {always}, new TrustManager[] {trustAll}, null);
        return () -> {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress(host, port), 3000);
            socket.startHandshake();
            return socket;
        };
    }

    /** A Tribes frame as a member would send it, whose message is a serialized Canary. */
    private static byte[] frame(String host, int port) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Canary());
        }
        ChannelData data = new ChannelData(true);
        data.setAddress(new MemberImpl(host, port, 0));
        data.setMessage(new XByteBuffer(bytes.toByteArray(), false));
        return XByteBuffer.createDataPackage(data);
    }
}
