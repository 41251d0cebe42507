package dev.headend.web.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.events.EventFilter;
import dev.headend.events.EventHub;
import dev.headend.events.EventSource;
import dev.headend.events.StoredEvent;
import dev.headend.security.Secrets;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSnapshot;
import dev.headend.web.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One listener's feed, shared by SSE and WebSocket: a snapshot of the active streams first (or,
 * when resuming, the events kept after the last one the client saw), then live events as they
 * are published, filtered. Live events come through the listener's bounded queue; when it
 * overflows the client gets a {@code gap} message and the feed catches up from its {@link
 * EventSource}, so a slow client never holds anyone else. When the source cannot be read (the
 * cluster's stream while Redis does not answer) the client gets a {@code gap} message saying so,
 * and the feed goes on with what the hub brings.
 *
 * <p>Invariant: the listener is registered before the source is read, and every event with a
 * position is sent at most once, in position order (an event both read from the source and
 * queued is skipped the second time). Asides and notices have no position: they are sent as
 * they come, with the id of the last event sent, so a client resuming after them misses nothing.
 */
final class EventFeed {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int PAGE = 500;

    private final EventSource source;
    private final StreamManager streams;

    EventFeed(EventSource source, StreamManager streams) {
        this.source = source;
        this.streams = streams;
    }

    /** Runs the feed until the client goes away (an {@link IOException}) or the server stops. */
    void run(EventFilter filter, Optional<Long> resumeAfter, FeedSink sink) throws IOException, InterruptedException {
        try (EventHub.Listener listener = source.hub().listen()) {
            Cursor cursor = new Cursor();
            if (resumeAfter.isPresent()) {
                cursor.last = resumeAfter.get();
            } else {
                try {
                    cursor.last = source.lastPosition();
                } catch (EventSource.UnavailableException e) {
                    cursor.anchored = false; // the feed starts at the first event the hub brings
                }
                sink.send(source.id(cursor.last), "snapshot", snapshot(cursor.last, filter));
            }
            if (cursor.anchored) {
                replay(cursor, filter, sink);
            } else {
                sink.send(source.id(cursor.last), "gap", gapJson(cursor.last, UNAVAILABLE));
            }
            while (true) {
                switch (listener.next(KEEP_ALIVE)) {
                    case EventHub.Next.Item item -> {
                        if (cursor.behind) {
                            replay(cursor, filter, sink); // the source answers again: what was missed first
                        }
                        cursor.anchored = true;
                        StoredEvent e = item.event();
                        if (e.sequence() > cursor.last) {
                            if (filter.matches(e)) {
                                sink.send(source.id(e.sequence()), e.type(), e.json());
                            }
                            cursor.last = e.sequence();
                        }
                    }
                    case EventHub.Next.Aside aside -> {
                        if (filter.matches(aside.event())) {
                            sink.send(source.id(cursor.last), aside.event().type(), aside.event().json());
                        }
                    }
                    case EventHub.Next.Notice notice -> sink.send(source.id(cursor.last), notice.type(),
                            notice.json());
                    case EventHub.Next.Gap gap -> {
                        sink.send(source.id(cursor.last), "gap", gapJson(cursor.last, DROPPED));
                        listener.resume();
                        replay(cursor, filter, sink);
                    }
                    case EventHub.Next.Idle idle -> sink.keepAlive();
                    case EventHub.Next.End end -> {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Where a feed is: the last position sent (or skipped by the filter); whether its source could
     * not be read after it ({@code behind}); whether it has a position at all (not when the source
     * could not tell its last one at the start: then the feed starts at the first event the hub brings).
     */
    private static final class Cursor {
        long last;
        boolean behind;
        boolean anchored = true;
    }

    /**
     * Sends the events kept after the cursor. When the source cannot be read, says so once and
     * leaves the cursor behind: the next numbered event from the hub tries again first.
     */
    private void replay(Cursor cursor, EventFilter filter, FeedSink sink) throws IOException {
        while (true) {
            EventSource.Page page;
            try {
                page = source.after(cursor.last, PAGE);
            } catch (EventSource.UnavailableException e) {
                if (!cursor.behind) {
                    sink.send(source.id(cursor.last), "gap", gapJson(cursor.last, UNAVAILABLE));
                    cursor.behind = true;
                }
                return;
            }
            cursor.behind = false;
            if (page.lost()) {
                // no longer kept (pruned, trimmed): say so, then go on from what is kept
                sink.send(source.id(cursor.last), "gap", gapJson(cursor.last, DROPPED));
            }
            if (page.events().isEmpty()) {
                return;
            }
            for (StoredEvent e : page.events()) {
                if (filter.matches(e)) {
                    sink.send(source.id(e.sequence()), e.type(), e.json());
                }
                cursor.last = e.sequence();
            }
        }
    }

    private static final String DROPPED = "events were dropped for this listener; what follows resumes from the store";
    private static final String UNAVAILABLE = "the events kept cannot be read now (the cluster's Redis does not"
            + " answer): events of this node follow as they happen, and the feed goes on from the cluster's stream"
            + " when Redis answers again, from after the last id sent";

    private String gapJson(long after, String message) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("type", "gap");
        putId(o, "after", after, source);
        o.put("message", message);
        return o.toString();
    }

    /** A position as its id in JSON: a number on a single node (as it always was), the id's text in a cluster. */
    static void putId(ObjectNode o, String field, long position, EventSource source) {
        String id = source.id(position);
        if (id.equals(Long.toString(position))) {
            o.put(field, position);
        } else {
            o.put(field, id);
        }
    }

    /** The active streams, as a new listener sees them before any event. */
    private String snapshot(long sequence, EventFilter filter) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("type", "snapshot");
        putId(o, "sequence", sequence, source);
        ArrayNode list = o.putArray("streams");
        for (LiveStream s : streams.all()) {
            if (!filter.channelIds().isEmpty() && !filter.channelIds().contains(s.id())) {
                continue;
            }
            StreamSnapshot snap = s.snapshot();
            ObjectNode item = list.addObject();
            item.put("channel_id", snap.id());
            item.put("state", snap.state().name());
            item.put("health", snap.health().status().name().toLowerCase(Locale.ROOT));
            item.put("viewers", snap.viewers());
            item.put("restarts", snap.restarts());
            item.put("active_source_index", snap.activeSourceIndex());
            item.put("active_source", Secrets.mask(snap.activeSource().display()));
            item.put("uptime_seconds", snap.uptime().toSeconds());
        }
        return o.toString();
    }
}
