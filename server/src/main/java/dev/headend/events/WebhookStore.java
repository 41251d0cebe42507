package dev.headend.events;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the receivers added through the API are kept (tokens and secrets included), and where
 * the outbox of a receiver that is gone is dropped. SQLite on one node: {@link SqliteWebhookStore}.
 */
public interface WebhookStore {
    /** The receivers added through the API, oldest first. */
    List<WebhookTarget> receivers();

    /** Keeps a new receiver (its id is not stored yet). */
    void add(WebhookTarget receiver, long createdMs);

    /** Changes a stored receiver's definition (same id); its outbox stays. */
    void replace(WebhookTarget receiver);

    /**
     * Forgets a receiver added through the API, with its pending outbox rows and the stream ids
     * it answered, at once. Returns the pending rows dropped.
     */
    int remove(String id);

    /**
     * Drops the pending outbox rows of every receiver not in {@code kept} (receivers no longer
     * configured). Returns the rows dropped per receiver.
     */
    Map<String, Integer> dropPendingExcept(Set<String> kept);
}
