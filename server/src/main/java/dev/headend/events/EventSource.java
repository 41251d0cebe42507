package dev.headend.events;

import java.util.List;
import java.util.Optional;

/**
 * Where the event feeds read: the live fan-out and the events kept, each event at a
 * <em>position</em> (a number growing in the order of the source) that clients see as an
 * <em>id</em> and resume after. On a single node the source is the node's journal and the id
 * is the event's sequence ({@link JournalEventSource}); in a cluster it is the cluster's event
 * stream and the id is the stream entry's id.
 */
public interface EventSource {
    /** Events kept after a position, oldest first, and whether some after it are no longer kept. */
    record Page(List<StoredEvent> events, boolean lost) {
        public Page {
            events = List.copyOf(events);
        }
    }

    /** The source cannot be read now (its store does not answer); the live fan-out goes on. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The live fan-out: events reach its listeners in position order. */
    EventHub hub();

    /** The position of the newest event the source has published to its hub (0 when none). */
    long lastPosition();

    /**
     * Up to {@code limit} events after {@code position}, oldest first.
     *
     * @throws UnavailableException when the source cannot be read now
     */
    Page after(long position, int limit);

    /** The id clients see for a position. */
    String id(long position);

    /** The position of an id a client sent; empty when it is not an id of this source. */
    Optional<Long> position(String id);

    /** How an id of this source looks, for error messages. */
    String idForm();
}
