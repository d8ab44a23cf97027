package io.jvmroute.replication.secure;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;

/** How the TLS transport names a connection's peer in its log lines and metrics, and closes what it gives up. */
final class Sockets {

    private Sockets() {
    }

    /** {@code ip:port} of the peer. */
    static String address(Socket socket) {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** The peer's IP: what refusals and handshake counts are kept by. */
    static String ip(Socket socket) {
        return socket.getInetAddress().getHostAddress();
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
