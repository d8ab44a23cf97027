package io.jvmroute.balancer;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Shutdown stops accepting at once but lets a request in flight finish. */
class GracefulShutdownTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void stop() {
        f.backends.forEach(TestBackend::close);
    }

    @Test
    void aRequestInFlightFinishesAndNewConnectionsAreRefused() throws Exception {
        f.backends(1).start("balancer.shutdown_timeout=5s\n");
        f.backend("jvm1").respond((self, ctx, request) ->
                ctx.executor().schedule(() -> self.send(ctx, request, HttpResponseStatus.OK, "finished"), 700, TimeUnit.MILLISECONDS));
        int port = f.balancer.frontAddress().getPort();
        CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(f.uri("/slow")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.balancer.runtime().router().workers().get(0).inFlight() == 1);

        f.balancer.close();

        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("finished");
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(IOException.class);
    }
}
