package io.jvmroute.balancer.ajp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broken worker on 127.0.0.1: accepts AJP connections and either never answers (a hung node: no CPong)
 * or answers whatever it receives with the given bytes (garbage).
 */
final class FakeAjpServer implements AutoCloseable {

    private final ServerSocket server;
    private final byte[] answer;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** @param answer what to send back on every read, or null to stay silent */
    FakeAjpServer(byte[] answer) throws IOException {
        this.answer = answer;
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread accept = new Thread(this::accept, "fake-ajp-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "fake-ajp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (InputStream in = s.getInputStream()) {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                if (answer != null) {
                    s.getOutputStream().write(answer);
                    s.getOutputStream().flush();
                }
            }
        } catch (IOException e) {
            // the balancer closed the connection: what a refusal does
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
