package io.jvmroute.balancer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzed request lines, headers and chunked bodies: every connection gets an answer or a close within
 * the client's timeout (no hang), never a crash, and the balancer serves normally afterwards.
 */
class MalformedRequestFuzzTest {

    private static final String[] SEEDS = {
            "GET /app/;jsessionid=ABC.jvm1 HTTP/1.1\r\nHost: x\r\nCookie: JSESSIONID=ABC.jvm2\r\n\r\n",
            "POST /app HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
            "GET / HTTP/1.0\r\n\r\n",
    };

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void malformedRequestsGet400OrACloseAndNeverHangOrBreakTheBalancer() throws Exception {
        f.backends(2).start("balancer.response_timeout=2s\n");
        Random random = new Random(20261127L); // fixed: a failure is reproducible
        int answered400 = 0;
        for (int i = 0; i < 150; i++) {
            byte[] request = mutate(SEEDS[i % SEEDS.length].getBytes(StandardCharsets.ISO_8859_1), random);
            String answer = exchange(request);
            assertThat(answer).as("answer to %s", new String(request, StandardCharsets.ISO_8859_1))
                    .satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1."));
            if (answer.startsWith("HTTP/1.1 400")) {
                answered400++;
            }
        }

        assertThat(answered400).isGreaterThan(10);
        assertThat(f.balancer.runtime().router().workers()).allSatisfy(w -> assertThat(w.isUp())
                .as("%s is up: %s", w.name(), w.lastCheckResult()).isTrue());
        assertThat(f.get("/", "Cookie", "JSESSIONID=A.jvm2").body()).isEqualTo("jvm2");
    }

    /** One to four random edits: flip a byte to a control or delimiter character, delete, or duplicate. */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && out.length > 1; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) "\u0000\r\n :;\"\u007f\u00ff\t-0zG".charAt(random.nextInt(14));
                case 1 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at + 1);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    /** Sends, half-closes (so an incomplete request ends) and reads until the balancer closes. */
    private String exchange(byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
            s.setSoTimeout(5000); // a hang fails the test with SocketTimeoutException
            s.getOutputStream().write(request);
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
