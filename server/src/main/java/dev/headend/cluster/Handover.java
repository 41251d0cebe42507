package dev.headend.cluster;

import dev.headend.time.Moment;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One channel a draining node hands to another node, as the giving node sees it. A pure state
 * machine on the monotonic clock; {@link ClusterNode} makes the Redis commands each step asks for.
 *
 * <p>The protocol (never two nodes counting the lease as theirs, no moment without a pipeline):
 * the giver offers the channel ({@link State.Offered}); the taker starts the channel's pipeline
 * in standby, without the lease, serving nothing of its own, and says it is ready once it has a
 * segment; only then does the giver release the lease ({@link Action#RELEASE}, {@link
 * State.Released}: its pipeline stops, its viewers are relayed to the taker, whose standby
 * pipeline answers relayed requests); the taker then acquires the lease with a new fencing token
 * and serves as the owner; when the giver sees another node hold the lease, the hand-over is
 * done. An offer the taker does not make ready within {@code limit}, or a released lease nobody
 * takes within {@code limit}, fails (the offer is withdrawn; a later check offers the channel
 * again, to the node placement then picks).
 */
public final class Handover {
    /** Where a hand-over is. */
    public sealed interface State {
        /** Offered to the taker, which prepares its standby pipeline; the giver still owns the channel. */
        record Offered() implements State {}

        /** The taker was ready and the giver released the lease: the taker is to acquire it. */
        record Released() implements State {}

        /** Another node holds the lease: the channel is no longer the giver's. */
        record Done(String holder) implements State {}

        /** Given up; the offer is withdrawn. */
        record Failed(String reason) implements State {}
    }

    /** What the giver does after a step. */
    public enum Action {
        NONE,
        /** Release the lease (the taker's pipeline has a segment); then mark the offer released. */
        RELEASE,
        /** Withdraw the offer: the hand-over is over (done or failed). */
        END
    }

    private final String channelId;
    private final String taker;
    private final Duration limit;
    private Moment since;
    private State state = new State.Offered();

    /** Offered at {@code now} to {@code taker}; each phase may last {@code limit}. */
    public Handover(String channelId, String taker, Duration limit, Moment now) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.taker = Objects.requireNonNull(taker, "taker");
        this.limit = limit;
        this.since = now;
    }

    /**
     * One check, with what the store shows now.
     *
     * @param takerReady whether the taker said its standby pipeline has a segment
     * @param holder the node holding the channel's lease, if any
     * @param self the giver's node id
     */
    public synchronized Action step(Moment now, boolean takerReady, Optional<String> holder, String self) {
        if (holder.isPresent() && !holder.get().equals(self)) {
            return finish(new State.Done(holder.get()));
        }
        return switch (state) {
            case State.Offered o when holder.isEmpty() -> finish(new State.Failed("the lease was lost before the"
                    + " hand-over"));
            case State.Offered o when takerReady -> {
                state = new State.Released();
                since = now;
                yield Action.RELEASE;
            }
            case State.Offered o when !now.isBefore(since.plus(limit)) -> finish(new State.Failed("node " + taker
                    + " made no segment within " + limit.toSeconds() + " s"));
            case State.Released r when !now.isBefore(since.plus(limit)) -> finish(new State.Failed("node " + taker
                    + " did not take the lease within " + limit.toSeconds() + " s"));
            default -> Action.NONE;
        };
    }

    private Action finish(State end) {
        if (state instanceof State.Done || state instanceof State.Failed) {
            return Action.NONE;
        }
        state = end;
        return Action.END;
    }

    public synchronized State state() {
        return state;
    }

    /** Whether it is over (done or failed). */
    public synchronized boolean over() {
        return state instanceof State.Done || state instanceof State.Failed;
    }

    public String channelId() {
        return channelId;
    }

    public String taker() {
        return taker;
    }

    /** The state's name in answers: {@code offered}, {@code released}, {@code done}, {@code failed}. */
    public synchronized String label() {
        return switch (state) {
            case State.Offered o -> "offered";
            case State.Released r -> "released";
            case State.Done d -> "done";
            case State.Failed f -> "failed";
        };
    }
}
