package io.jvmroute.balancer;

import io.jvmroute.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP details on the way through: HTTP/1.0 clients, chunked uploads, 100-continue, the access log. */
class HttpSemanticsTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", f.balancer.frontAddress().getPort()), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the response head: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void anHttp10ClientGetsAnHttp10AnswerAndTheConnectionCloses() throws Exception {
        f.backends(1).start("");

        String answer = f.raw("GET / HTTP/1.0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.0 200 OK\r\n").endsWith("jvm1");
    }

    @Test
    void pipelinedRequestsAreAllAnsweredOnTheSameConnection() throws Exception {
        f.backends(1).start("");

        String answer = f.raw("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer.split("HTTP/1.1 200 OK\r\n", -1)).hasSize(4);
        assertThat(f.backend("jvm1").received).extracting(r -> r.uri()).containsExactly("/1", "/2", "/3");
    }

    @Test
    void aChunkedUploadArrivesWhole() throws Exception {
        f.backends(1).start("");

        String answer = f.raw("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(f.backend("jvm1").received.get(0).body()).isEqualTo("hello world");
    }

    @Test
    void expectContinueIsPassedOnAndTheBodyFollowsTheWorkers100() throws Exception {
        f.backends(1).start("");

        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("PUT /doc HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(in)).startsWith("HTTP/1.1 100 Continue\r\n");

            out.write("body".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 OK\r\n");
        }
        assertThat(f.backend("jvm1").received.get(0).body()).isEqualTo("body");
    }

    @Test
    void theAccessLogSaysWhoAskedForWhatWhereItWentAndWhy() throws Exception {
        f.backends(2).start("");
        List<String> lines;
        try (LogCapture access = LogCapture.logback("io.jvmroute.balancer.access")) {
            f.get("/app/page", "Cookie", "JSESSIONID=ABC.jvm2");
            f.get("/app/other");
            lines = access.messages();
        }

        assertThat(lines).hasSize(2)
                .anySatisfy(l -> assertThat(l).matches("127\\.0\\.0\\.1 GET /app/page 200 4 \\d+ms route=jvm2 worker=jvm2 sticky"))
                .anySatisfy(l -> assertThat(l).matches("127\\.0\\.0\\.1 GET /app/other 200 4 \\d+ms route=- worker=jvm\\d balanced"));
    }
}
