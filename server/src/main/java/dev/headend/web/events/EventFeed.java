package dev.headend.web.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.events.EventFilter;
import dev.headend.events.EventHub;
import dev.headend.events.EventJournal;
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
 * when resuming, the stored events after the last one the client saw), then live events as they
 * are stored, filtered. Live events come through the listener's bounded queue; when it overflows
 * the client gets a {@code gap} message and the feed catches up from the journal, so a slow
 * client never holds anyone else.
 *
 * <p>Invariant: the listener is registered before the journal is read, and every event is sent
 * at most once, in sequence order (an event both read from the journal and queued is skipped the
 * second time).
 */
final class EventFeed {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int PAGE = 500;

    private final EventHub hub;
    private final EventJournal journal;
    private final StreamManager streams;

    EventFeed(EventHub hub, EventJournal journal, StreamManager streams) {
        this.hub = hub;
        this.journal = journal;
        this.streams = streams;
    }

    /** Runs the feed until the client goes away (an {@link IOException}) or the server stops. */
    void run(EventFilter filter, Optional<Long> resumeAfter, FeedSink sink) throws IOException, InterruptedException {
        try (EventHub.Listener listener = hub.listen()) {
            long last;
            if (resumeAfter.isPresent()) {
                last = resumeAfter.get();
            } else {
                last = journal.lastSequence();
                sink.send(last, "snapshot", snapshot(last, filter));
            }
            last = replay(last, filter, sink);
            while (true) {
                switch (listener.next(KEEP_ALIVE)) {
                    case EventHub.Next.Item item -> {
                        StoredEvent e = item.event();
                        if (e.sequence() > last) {
                            if (filter.matches(e)) {
                                sink.send(e.sequence(), e.type(), e.json());
                            }
                            last = e.sequence();
                        }
                    }
                    case EventHub.Next.Gap gap -> {
                        sink.send(last, "gap", gapJson(last));
                        listener.resume();
                        last = replay(last, filter, sink);
                    }
                    case EventHub.Next.Idle idle -> sink.keepAlive();
                    case EventHub.Next.End end -> {
                        return;
                    }
                }
            }
        }
    }

    /** Sends the stored events after {@code last}; returns the last sequence read. */
    private long replay(long last, EventFilter filter, FeedSink sink) throws IOException {
        while (true) {
            List<StoredEvent> page = journal.after(last, PAGE);
            if (page.isEmpty()) {
                return last;
            }
            if (page.getFirst().sequence() > last + 1 && last > 0) {
                // pruned from the store: say so, then go on from what is kept
                sink.send(last, "gap", gapJson(last));
            }
            for (StoredEvent e : page) {
                if (filter.matches(e)) {
                    sink.send(e.sequence(), e.type(), e.json());
                }
                last = e.sequence();
            }
        }
    }

    private static String gapJson(long after) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("type", "gap");
        o.put("after", after);
        o.put("message", "events were dropped for this listener; what follows resumes from the store");
        return o.toString();
    }

    /** The active streams, as a new listener sees them before any event. */
    private String snapshot(long sequence, EventFilter filter) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("type", "snapshot");
        o.put("sequence", sequence);
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
