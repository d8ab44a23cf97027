package io.jvmroute.balancer;

import io.jvmroute.config.ConfigException;
import io.jvmroute.config.WorkersConfig;
import io.jvmroute.config.WorkersPropertiesParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts test backends and a balancer in front of them on 127.0.0.x, all on free ports, and offers the
 * clients the tests use. Close it in {@code @AfterEach}: nothing is left running.
 */
public final class Fixture implements AutoCloseable {

    public final List<TestBackend> backends = new ArrayList<>();
    public Balancer balancer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Backends jvm1, jvm2, ... on 127.0.0.11, 127.0.0.12, ... */
    public Fixture backends(int count) throws InterruptedException {
        for (int i = 1; i <= count; i++) {
            backends.add(new TestBackend("jvm" + i, "127.0.0." + (10 + i)).start());
        }
        return this;
    }

    public TestBackend backend(String name) {
        return backends.stream().filter(b -> b.name.equals(name)).findFirst().orElseThrow();
    }

    /** The workers of an lb {@code wlb} over every backend as type=http, then {@code extra} properties. */
    public String properties(String extra) {
        StringBuilder sb = new StringBuilder("worker.list=wlb\nworker.wlb.type=lb\nworker.wlb.balance_workers=");
        sb.append(String.join(",", backends.stream().map(b -> b.name).toList())).append('\n');
        for (TestBackend b : backends) {
            sb.append("worker.").append(b.name).append(".type=http\n");
            sb.append("worker.").append(b.name).append(".host=").append(b.host()).append('\n');
            sb.append("worker.").append(b.name).append(".port=").append(b.port()).append('\n');
        }
        sb.append("balancer.listen=127.0.0.1:0\nbalancer.admin.listen=127.0.0.1:0\n");
        sb.append("balancer.health.interval=100ms\nbalancer.health.timeout=1s\nbalancer.health.rise=2\nbalancer.health.fall=2\n");
        sb.append("balancer.connect_timeout=500ms\nbalancer.shutdown_timeout=1s\n");
        return sb.append(extra).toString();
    }

    public Balancer start(String extra) throws Exception {
        return start(WorkersPropertiesParser.parse("test.properties", properties(extra)));
    }

    public Balancer start(WorkersConfig config) throws InterruptedException, ConfigException {
        balancer = Balancer.start(config, 2);
        return balancer;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + balancer.frontAddress().getPort() + path);
    }

    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + balancer.adminAddress().getPort() + path);
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes on a new connection and returns everything the balancer answers until it closes. */
    public String raw(String request) throws IOException {
        return raw(request, false);
    }

    /** Sends raw bytes on a new connection and returns the first response (its head and Content-Length body). */
    public String rawResponse(String request) throws IOException {
        return raw(request, true);
    }

    private String raw(String request, boolean oneResponse) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", balancer.frontAddress().getPort()), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            if (!oneResponse) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            for (int n; !oneResponse(got) && (n = in.read(buf)) >= 0; ) {
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            return got.toString();
        }
    }

    /** A response head and its Content-Length body have arrived (the connection stays open). */
    private static boolean oneResponse(StringBuilder got) {
        int end = got.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(got.substring(0, end));
        return got.length() - end - 4 >= (m.find() ? Integer.parseInt(m.group(1)) : 0);
    }

    @Override
    public void close() {
        if (balancer != null) {
            balancer.close();
        }
        backends.forEach(TestBackend::close);
    }
}
