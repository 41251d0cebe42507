package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where routes run on a real server: a non-blocking route on Jetty's I/O thread, every other
 * route on a virtual thread of its own, so a route that waits never holds an I/O thread.
 */
class RouteThreadingIT {
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new HttpServer(HttpSettings.of("127.0.0.1", 0), RouterTest.router(List.of(() -> List.of(
                Route.get("/thread/blocking", this::describe),
                Route.nonBlockingGet("/thread/inline", this::describe),
                Route.get("/wait", ex -> {
                    release.await(30, TimeUnit.SECONDS);
                    ex.json(200, Map.of("waited", true));
                })))));
        server.jetty().start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.jetty().stop();
        client.close();
    }

    private void describe(Exchange ex) {
        ex.json(200, Map.of("virtual", Thread.currentThread().isVirtual()));
    }

    @Test
    void theRouterTellsJettyItNeverBlocks() {
        assertThat(server.jetty().getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    }

    @Test
    void aBlockingRouteRunsOnAVirtualThreadAndANonBlockingOneOnTheIoThread() throws Exception {
        assertThat(get("/thread/blocking")).contains("\"virtual\":true");
        assertThat(get("/thread/inline")).contains("\"virtual\":false");
    }

    @Test
    void routesThatWaitHoldNoIoThread() throws Exception {
        // more waiting requests than Jetty has I/O threads: each waits on a virtual thread of its own
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(client.sendAsync(request("/wait"), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(get("/thread/inline")).contains("\"virtual\":false");
        release.countDown();
        for (var w : waiting) {
            assertThat(w.get(30, TimeUnit.SECONDS).body()).contains("\"waited\":true");
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = client.send(request(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30)).build();
    }
}
