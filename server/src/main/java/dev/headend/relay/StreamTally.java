package dev.headend.relay;

import java.util.concurrent.atomic.LongAdder;

/** The running counts of one published stream, written by its publisher and its viewers' senders. */
public final class StreamTally {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder framesDropped = new LongAdder();
    final LongAdder invalidFrames = new LongAdder();

    public long framesIn() {
        return framesIn.sum();
    }

    public long framesOut() {
        return framesOut.sum();
    }

    public long framesDropped() {
        return framesDropped.sum();
    }

    public long invalidFrames() {
        return invalidFrames.sum();
    }
}
