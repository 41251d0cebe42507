package dev.headend.events;

import java.util.List;
import java.util.Optional;

/**
 * A single node's events as the feeds read them: the journal, with the event's sequence as its
 * position and id. Sequences grow by one per event, so a first event kept after a position that
 * is not its successor means the ones between were pruned.
 */
public final class JournalEventSource implements EventSource {
    private final EventJournal journal;
    private final EventHub hub;

    public JournalEventSource(EventJournal journal, EventHub hub) {
        this.journal = journal;
        this.hub = hub;
    }

    @Override
    public EventHub hub() {
        return hub;
    }

    @Override
    public long lastPosition() {
        return journal.lastSequence();
    }

    @Override
    public Page after(long position, int limit) {
        List<StoredEvent> events = journal.after(position, limit);
        return new Page(events, position > 0 && !events.isEmpty() && events.getFirst().sequence() > position + 1);
    }

    @Override
    public String id(long position) {
        return Long.toString(position);
    }

    @Override
    public Optional<Long> position(String id) {
        try {
            long n = Long.parseLong(id);
            return n < 0 ? Optional.empty() : Optional.of(n);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String idForm() {
        return "an event sequence (a whole number of at least 0)";
    }
}
