package dev.headend.relay;

import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running frame counts: of one published stream (written by its publisher and its viewers'
 * senders), each count also added to the relay's totals, which are a tally of their own.
 */
public final class StreamTally {
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder invalidFrames = new LongAdder();
    /** The relay's totals; empty for the totals themselves. */
    private final Optional<StreamTally> totals;

    /** The relay's totals. */
    StreamTally() {
        this.totals = Optional.empty();
    }

    /** One stream's counts, each also added to {@code totals}. */
    StreamTally(StreamTally totals) {
        this.totals = Optional.of(totals);
    }

    void frameIn() {
        framesIn.increment();
        totals.ifPresent(StreamTally::frameIn);
    }

    void frameOut() {
        framesOut.increment();
        totals.ifPresent(StreamTally::frameOut);
    }

    /** A frame replaced in a slow viewer's slot before it was sent. */
    void frameDropped() {
        framesDropped.increment();
        totals.ifPresent(StreamTally::frameDropped);
    }

    void invalidFrame() {
        invalidFrames.increment();
        totals.ifPresent(StreamTally::invalidFrame);
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long framesOut() {
        return framesOut.sum();
    }

    /** Frames replaced in a slow viewer's slot before they were sent. */
    public long framesDropped() {
        return framesDropped.sum();
    }

    public long invalidFrames() {
        return invalidFrames.sum();
    }
}
