package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A listener of the server's Server-Sent Events feed, read on a virtual thread: keeps every
 * message's event name, envelope and the wall-clock time it arrived (when its closing blank line
 * did).
 */
final class EventStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message of the feed. */
    record Message(String event, JsonNode data, Instant received) {}

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final Stream<String> lines;
    private final Thread reader;

    private EventStream(Stream<String> lines) {
        this.lines = lines;
        this.reader = Thread.ofVirtual().name("bench-sse").start(this::read);
    }

    /** Opens the feed at {@code path} ({@code /api/events?...}). */
    static EventStream open(Api api, String path) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> r = api.lines(path);
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IllegalStateException(path + ": HTTP " + r.statusCode());
        }
        return new EventStream(r.body());
    }

    private void read() {
        String event = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        messages.add(new Message(event, JSON.readTree(data.toString()), Instant.now()));
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring("data:".length()).strip());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the feed was closed: what arrived is kept
        }
    }

    /** Messages of one event name (type), in arrival order. */
    List<Message> of(String event) {
        return messages.stream().filter(m -> m.event().equals(event)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        lines.close();
        reader.join(5_000);
    }
}
