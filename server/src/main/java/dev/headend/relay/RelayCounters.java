package dev.headend.relay;

import java.util.concurrent.atomic.LongAdder;

/** The relay's counters since start, read by the metrics at scrape time. */
public final class RelayCounters {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder framesDropped = new LongAdder();
    final LongAdder invalidFrames = new LongAdder();
    final LongAdder publishersRefused = new LongAdder();
    final LongAdder viewersRemoved = new LongAdder();
    final LongAdder stalls = new LongAdder();

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
