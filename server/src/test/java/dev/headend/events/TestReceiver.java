package dev.headend.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.headend.support.ResponseJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A webhook receiver on a loopback port (the JDK's HTTP server): keeps every delivery with its
 * headers, answers with what the test says, and can go down (its port refuses connections) and
 * come back on the same port.
 */
final class TestReceiver implements AutoCloseable {
    /** One delivery as received. */
    record Delivery(JsonNode body, String rawBody, String authorization, String idempotencyKey, String signature) {
        String type() {
            return body.get("type").asText();
        }

        long sequence() {
            return body.get("sequence").asLong();
        }

        String eventId() {
            return body.get("event_id").asText();
        }
    }

    /** An answer: status and JSON body. */
    record Answer(int status, String body) {}

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile Function<Delivery, Answer> answer = d -> new Answer(200, "{}");
    private HttpServer server;

    TestReceiver() {
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int p) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 64);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.createContext("/", exchange -> {
                byte[] in = exchange.getRequestBody().readAllBytes();
                String raw = new String(in, StandardCharsets.UTF_8);
                Delivery d = new Delivery(ResponseJson.of(raw), raw,
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        exchange.getRequestHeaders().getFirst("X-Headend-Signature"));
                Answer a = answer.apply(d);
                if (a.status() / 100 == 2) {
                    deliveries.add(d);
                }
                byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(a.status(), out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** What it answers from now on; only deliveries answered 2xx are kept. */
    void answer(Function<Delivery, Answer> answer) {
        this.answer = answer;
    }

    /** Accepted deliveries, in arrival order. */
    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    List<Delivery> of(String type) {
        return deliveries.stream().filter(d -> d.type().equals(type)).toList();
    }

    /** Stops listening: connections are refused. */
    synchronized void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    synchronized void up() {
        server = bind(port);
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
