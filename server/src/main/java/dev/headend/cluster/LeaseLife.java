package dev.headend.cluster;

import dev.headend.time.Moment;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The life of one channel lease this node was granted, as this node knows it: held, then lost.
 * A pure state machine driven by the monotonic clock; the commands that reach Redis are made by
 * {@link ClusterNode}, which reports each outcome here.
 *
 * <p>Invariant (fencing by time): the lease is this node's only before {@link #validUntil()},
 * the moment the last command that set it (the grant or a renewal) was <em>sent</em> plus the
 * TTL. Redis started the key's expiry after that send, so no other node can be granted the lease
 * before this node stops counting it as its own (the clocks of the two machines run at the same
 * rate; they need not agree on the time). A renewal is due every third of the TTL; a renewal
 * that fails because Redis cannot be reached changes nothing, so the lease runs out at {@code
 * validUntil} unless a later renewal succeeds. A renewal refused because another value holds the
 * key loses the lease at once.
 */
public final class LeaseLife {
    /** Where a lease is in its life. */
    public sealed interface State {
        /** This node's until {@code validUntil}. */
        record Held(Moment validUntil) implements State {}

        /** No longer this node's; its pipeline must stop and its segments no longer be served. */
        record Lost(String reason) implements State {}
    }

    private final String channelId;
    private final String value;
    private final long token;
    private final Duration ttl;
    private Moment lastClaimed;
    private Moment lastSet;
    private Optional<String> lostReason = Optional.empty();

    /**
     * @param value what the lease key holds ({@code node:token}); renewals and the release compare it
     * @param token the fencing token of this grant
     * @param sentAt when the grant's command was sent
     */
    public LeaseLife(String channelId, String value, long token, Duration ttl, Moment sentAt) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.value = Objects.requireNonNull(value, "value");
        this.token = token;
        this.ttl = ttl;
        this.lastClaimed = sentAt;
        this.lastSet = sentAt;
    }

    public synchronized State state(Moment now) {
        if (lostReason.isPresent()) {
            return new State.Lost(lostReason.get());
        }
        if (!now.isBefore(validUntil())) {
            return new State.Lost("not renewed for " + ttl.toMillis() + " ms (lease_ttl_seconds)");
        }
        return new State.Held(validUntil());
    }

    /** Whether the lease is this node's at {@code now}. */
    public boolean heldAt(Moment now) {
        return state(now) instanceof State.Held;
    }

    /** Whether a renewal should be sent: the lease is held and a third of the TTL passed since it was last set. */
    public synchronized boolean renewalDue(Moment now) {
        return lostReason.isEmpty() && now.isBefore(validUntil()) && !now.isBefore(lastSet.plus(ttl.dividedBy(3)));
    }

    /** A renewal sent at {@code sentAt} succeeded: the lease lasts until then plus the TTL (never less than before). */
    public synchronized void renewed(Moment sentAt) {
        if (lostReason.isEmpty() && sentAt.isBefore(validUntil())) {
            lastSet = Moment.latest(lastSet, sentAt);
        }
    }

    /** Redis holds another value for the lease (another node was granted it): lost now, for good. */
    public synchronized void lose(String reason) {
        if (lostReason.isEmpty()) {
            lostReason = Optional.of(reason);
        }
    }

    /** The moment the lease stops being this node's unless renewed. */
    public synchronized Moment validUntil() {
        return lastSet.plus(ttl);
    }

    /** A start here was allowed under this lease at {@code now} (its stream may not be running yet). */
    public synchronized void claimed(Moment now) {
        lastClaimed = Moment.latest(lastClaimed, now);
    }

    /** How long ago the lease was granted, or last allowed a start here. */
    public synchronized Duration sinceClaimed(Moment now) {
        return lastClaimed.until(now);
    }

    public String channelId() {
        return channelId;
    }

    public String value() {
        return value;
    }

    public long token() {
        return token;
    }
}
