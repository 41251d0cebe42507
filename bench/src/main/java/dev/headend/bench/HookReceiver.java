package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on a loopback port of the benchmark process (the JDK's HTTP server): keeps
 * each delivery's envelope and when it arrived, answers 200, and can go down (its port refuses
 * connections) and come back on the same port.
 */
final class HookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery: its envelope and the wall-clock time it arrived. */
    record Delivery(JsonNode envelope, Instant received) {
        String eventId() {
            return envelope.path("event_id").asText();
        }

        long sequence() {
            return envelope.path("sequence").asLong();
        }
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final int port;
    private HttpServer server;

    HookReceiver() throws IOException {
        server = bind(0);
        port = server.getAddress().getPort();
    }

    private HttpServer bind(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 64);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(JSON.readTree(body), Instant.now()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        s.start();
        return s;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** Deliveries answered so far, in arrival order. */
    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Stops listening: connections are refused. */
    synchronized void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    synchronized void up() throws IOException {
        server = bind(port);
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
