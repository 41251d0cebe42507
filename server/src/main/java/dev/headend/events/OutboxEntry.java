package dev.headend.events;

/**
 * The oldest undelivered event of a receiver, with its envelope.
 *
 * @param attempts failed attempts so far
 * @param nextAttemptMs not before this wall-clock time (epoch milliseconds)
 * @param createdMs when it entered the outbox (epoch milliseconds)
 */
public record OutboxEntry(String receiverId, StoredEvent event, int attempts, long nextAttemptMs, long createdMs) {}
