package dev.headend.web.events;

import dev.headend.events.EventSource;
import dev.headend.stream.StreamManager;

/** What the SSE and WebSocket routes share: the event source and the feed built on it. */
public final class EventFeeds {
    private final EventSource source;
    private final EventFeed feed;

    public EventFeeds(EventSource source, StreamManager streams) {
        this.source = source;
        this.feed = new EventFeed(source, streams);
    }

    EventSource source() {
        return source;
    }

    EventFeed feed() {
        return feed;
    }
}
