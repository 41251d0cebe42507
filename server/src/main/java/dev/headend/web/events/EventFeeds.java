package dev.headend.web.events;

import dev.headend.events.EventHub;
import dev.headend.events.EventJournal;
import dev.headend.stream.StreamManager;

/** What the SSE and WebSocket routes share: the journal and the feed built on it. */
public final class EventFeeds {
    private final EventJournal journal;
    private final EventFeed feed;

    public EventFeeds(EventHub hub, EventJournal journal, StreamManager streams) {
        this.journal = journal;
        this.feed = new EventFeed(hub, journal, streams);
    }

    EventJournal journal() {
        return journal;
    }

    EventFeed feed() {
        return feed;
    }
}
