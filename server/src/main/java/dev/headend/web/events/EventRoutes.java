package dev.headend.web.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.events.EventFilter;
import dev.headend.events.EventSource;
import dev.headend.events.StoredEvent;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET /api/events}: the event feed as Server-Sent Events ({@code id:} the event's id in
 * its source: the sequence on a single node, the stream entry id in a cluster; {@code event:}
 * the type, {@code data:} the envelope; a {@code retry:} hint first; {@code Last-Event-ID}, or
 * {@code ?last_event_id=}, resumes from the source; {@code ?channel_id=} and {@code ?types=},
 * comma-separated, filter). {@code GET /api/events/history?after=ID&limit=N}: kept events for
 * polling clients.
 */
public final class EventRoutes implements RouteGroup {
    /** The reconnection delay suggested to SSE clients. */
    static final int RETRY_MS = 3000;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final EventFeed feed;
    private final EventSource source;

    public EventRoutes(EventFeeds feeds) {
        this.feed = feeds.feed();
        this.source = feeds.source();
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/events", this::stream), Route.get("/api/events/history", this::history));
    }

    static EventFilter filter(Exchange ex) {
        try {
            return EventFilter.parse(ex.query("channel_id"), ex.query("types"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_filter", e.getMessage());
        }
    }

    static Optional<Long> lastEventId(Exchange ex, EventSource source) {
        Optional<String> text = Optional.ofNullable(ex.request().getHeaders().get("Last-Event-ID")).or(() -> ex.query("last_event_id"));
        return text.map(String::strip).filter(t -> !t.isEmpty()).map(t -> source.position(t).orElseThrow(() ->
                new ApiException(400, "invalid_last_event_id", "Last-Event-ID must be " + source.idForm()
                        + ", got '" + Http.printable(t) + "'")));
    }

    private static long number(String text, long otherwise) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private void stream(Exchange ex) throws InterruptedException {
        EventFilter filter = filter(ex);
        Optional<Long> resume = lastEventId(ex, source);
        ex.response().setStatus(200);
        ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        ex.response().getHeaders().put("X-Accel-Buffering", "no");
        if (ex.head()) {
            ex.empty(200);
            return;
        }
        OutputStream out = Content.Sink.asOutputStream(ex.response());
        try {
            out.write(("retry: " + RETRY_MS + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            feed.run(filter, resume, new FeedSink() {
                @Override
                public void send(String id, String type, String json) throws IOException {
                    out.write(("id: " + id + "\nevent: " + type + "\ndata: " + json + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }

                @Override
                public void keepAlive() throws IOException {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            });
            out.close();
            ex.callback().succeeded();
        } catch (IOException e) {
            ex.callback().failed(e);
        }
    }

    private void history(Exchange ex) throws JsonProcessingException {
        EventFilter filter = filter(ex);
        long after = ex.query("after").map(String::strip).map(t -> source.position(t).orElseThrow(() ->
                new ApiException(400, "invalid_parameter", "after must be " + source.idForm()))).orElse(0L);
        long limit = ex.query("limit").map(t -> number(t.strip(), -1)).orElse((long) DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(400, "invalid_parameter", "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        long scanned = after;
        boolean more = true;
        try {
            while (events.size() < limit && more) {
                List<StoredEvent> page = source.after(scanned, MAX_LIMIT).events();
                more = page.size() == MAX_LIMIT;
                for (StoredEvent e : page) {
                    if (events.size() == limit) {
                        more = true;
                        break;
                    }
                    scanned = e.sequence();
                    if (filter.matches(e)) {
                        events.add(Http.JSON.readTree(e.json()));
                    }
                }
            }
        } catch (EventSource.UnavailableException e) {
            throw new ApiException(503, "events_unavailable", "the cluster's events cannot be read now (its Redis"
                    + " does not answer): try again later", 2);
        }
        EventFeed.putId(body, "next_after", scanned, source);
        EventFeed.putId(body, "last_sequence", source.lastPosition(), source);
        ex.json(200, body);
    }
}
