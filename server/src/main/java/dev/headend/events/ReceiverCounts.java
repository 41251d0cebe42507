package dev.headend.events;

import java.util.Optional;

/** A receiver's outbox, counted. {@code failedAttempts} counts every failed attempt, retried or not. */
public record ReceiverCounts(long delivered, long pending, long dead, long failedAttempts, Optional<String> lastError) {
    public static final ReceiverCounts NONE = new ReceiverCounts(0, 0, 0, 0, Optional.empty());
}
