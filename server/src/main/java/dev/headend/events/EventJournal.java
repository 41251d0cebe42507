package dev.headend.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where events are kept: the log, the streams running now, and the webhook outbox. The narrow
 * interface the event log needs of a store (SQLite on one node: {@link SqliteEventJournal}).
 * Writes are called from one thread at a time per caller; an implementation serializes them.
 */
public interface EventJournal {
    /** The highest sequence stored, 0 when none is. */
    long lastSequence();

    /**
     * Stores events and their outbox rows at once (all or nothing), and keeps the running
     * streams: a {@code stream_started} adds its channel, a {@code stream_ended} removes it.
     */
    void append(List<Event> events, List<Delivery> deliveries);

    /** Up to {@code limit} events after {@code sequence}, oldest first. */
    List<StoredEvent> after(long sequence, int limit);

    /** Channels whose stream started and has not ended. */
    List<String> runningStreams();

    /** The oldest pending outbox row of the receiver. */
    Optional<OutboxEntry> nextPending(String receiverId);

    void delivered(String receiverId, long sequence, long nowMs);

    void failed(String receiverId, long sequence, long nextAttemptMs, String error);

    /** Given up: kept, visible through the API, no longer retried. */
    void dead(String receiverId, long sequence, long nowMs, String error);

    Optional<String> receiverStreamId(String receiverId, String channelId);

    void rememberReceiverStreamId(String receiverId, String channelId, String receiverStreamId);

    void forgetReceiverStreamId(String receiverId, String channelId);

    Map<String, ReceiverCounts> counts();

    /**
     * Deletes what is no longer needed: events older than {@code beforeMs} unless among the
     * newest {@code keepLast} or still pending for a receiver; finished outbox rows older than
     * {@code beforeMs}. Returns the events deleted.
     */
    int prune(long beforeMs, int keepLast);
}
