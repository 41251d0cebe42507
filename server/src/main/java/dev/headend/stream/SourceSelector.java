package dev.headend.stream;

import dev.headend.time.Moment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Chooses which of a channel's sources a new run reads. Invariants: the index is always valid;
 * failures are remembered per source for the failover window only; moving to another source
 * forgets the failures of the source moved to, so it gets a full window. Not thread-safe: its
 * stream's state machine owns it.
 */
final class SourceSelector {
    private final int count;
    private final Failover failover;
    private final List<Deque<Moment>> failures = new ArrayList<>();
    private int current;
    private int startFailures;
    private Moment stableSince;

    SourceSelector(int count, Failover failover) {
        this.count = count;
        this.failover = failover;
        for (int i = 0; i < count; i++) {
            failures.add(new ArrayDeque<>());
        }
    }

    int current() {
        return current;
    }

    /** Records a failure of source {@code index}; returns true when this moved to another source. */
    boolean failed(int index, Moment now) {
        stableSince = null;
        Deque<Moment> f = failures.get(index);
        f.addLast(now);
        Moment horizon = now.minus(failover.window());
        while (!f.isEmpty() && f.peekFirst().isBefore(horizon)) {
            f.removeFirst();
        }
        if (index != current || count == 1 || f.size() < failover.failures()) {
            return false;
        }
        f.clear();
        current = (current + 1) % count;
        failures.get(current).clear();
        return true;
    }

    /**
     * Source {@code index} failed before the stream ever produced: moves straight to the next
     * source. Returns false when as many runs as there are sources have failed at start on this
     * list (each source has had its try).
     */
    boolean failedAtStart(int index) {
        startFailures++;
        if (index != current || startFailures >= count) {
            return false;
        }
        current = (current + 1) % count;
        return true;
    }

    /** Source {@code index} is producing segments. */
    void producing(int index, Moment now) {
        if (index == current && stableSince == null) {
            stableSince = now;
        }
    }

    /** True when a non-first source has been stable long enough to try the first one again. */
    boolean failbackDue(Moment now) {
        return current != 0 && stableSince != null && !stableSince.plus(failover.failback()).isAfter(now);
    }

    /** The first source is live again (after a successful failback). */
    void returnedToFirst(Moment now) {
        current = 0;
        failures.get(0).clear();
        stableSince = now;
    }

    /** A failback attempt failed: stay on the current source and wait a full failback period again. */
    void failbackFailed(Moment now) {
        stableSince = now;
    }
}
