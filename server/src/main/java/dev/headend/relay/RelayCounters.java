package dev.headend.relay;

import java.util.concurrent.atomic.LongAdder;

/** The relay's counters since start, read by the metrics at scrape time. */
public final class RelayCounters {
    /** Frame counts over every stream (each stream's tally adds to them). */
    final StreamTally frames = new StreamTally();
    final LongAdder publishersRefused = new LongAdder();
    final LongAdder viewersRemoved = new LongAdder();
    final LongAdder stalls = new LongAdder();

    public long framesIn() {
        return frames.framesIn();
    }

    public long framesOut() {
        return frames.framesOut();
    }

    /** Frames replaced in a slow viewer's slot before they were sent. */
    public long framesDropped() {
        return frames.framesDropped();
    }

    public long invalidFrames() {
        return frames.invalidFrames();
    }

    /** Second publishers refused for a stream that had one. */
    public long publishersRefused() {
        return publishersRefused.sum();
    }

    /** Viewers removed by the relay (send timeout, failed send, no answer to pings). */
    public long viewersRemoved() {
        return viewersRemoved.sum();
    }

    public long stalls() {
        return stalls.sum();
    }
}
