package dev.headend.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.ResponseJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Server-Sent Events client over java.net.http: reads the feed on a virtual thread of its
 * own and keeps every message, in order.
 */
final class SseClient implements AutoCloseable {
    /** One message: its {@code id:}, {@code event:} and {@code data:} (parsed). */
    record Message(long id, String event, JsonNode data) {}

    private final HttpResponse<InputStream> response;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Integer> retries = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().name("sse-client").start(this::read);
    }

    /** Opens the feed; {@code lastEventId} may be null. Fails the test unless it answers 200. */
    static SseClient open(HttpClient http, String url, String token, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError("SSE answered " + r.statusCode() + ": " + body);
            }
            return new SseClient(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts reading a feed opened by {@link #stalled}. */
    static SseClient of(HttpResponse<InputStream> response) {
        return new SseClient(response);
    }

    /** Opens the feed without reading it: a listener that never reads. */
    static HttpResponse<InputStream> stalled(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long id = -1;
            String event = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        messages.add(new Message(id, event, ResponseJson.of(data.toString())));
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else if (line.startsWith("retry: ")) {
                    retries.add(Integer.parseInt(line.substring(7)));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The messages of event type {@code type}. */
    List<Message> of(String type) {
        return messages.stream().filter(m -> m.event().equals(type)).toList();
    }

    List<Integer> retries() {
        return List.copyOf(retries);
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
