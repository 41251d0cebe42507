package dev.headend.stream;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Chooses which of a channel's sources a new pipeline reads. Invariants: the index is always
 * valid; failures are remembered per source for the failover window only; moving to another
 * source forgets the failures of the source moved to, so it gets a full window.
 */
final class SourceSelector {
    private final int count;
    private final Failover failover;
    private final Clock clock;
    private final List<Deque<Instant>> failures = new ArrayList<>();
    private int current;
    private int startFailures;
    private Instant stableSince;

    SourceSelector(int count, Failover failover, Clock clock) {
        this.count = count;
        this.failover = failover;
        this.clock = clock;
        for (int i = 0; i < count; i++) {
            failures.add(new ArrayDeque<>());
        }
    }

    synchronized int current() {
        return current;
    }

    /** Records a failure of source {@code index}; returns true when this moved to another source. */
    synchronized boolean failed(int index) {
        Instant now = clock.instant();
        stableSince = null;
        Deque<Instant> f = failures.get(index);
        f.addLast(now);
        while (!f.isEmpty() && f.peekFirst().isBefore(now.minus(failover.window()))) {
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
    synchronized boolean failedAtStart(int index) {
        startFailures++;
        if (index != current || startFailures >= count) {
            return false;
        }
        current = (current + 1) % count;
        return true;
    }

    /** Source {@code index} is producing segments. */
    synchronized void producing(int index) {
        if (index == current && stableSince == null) {
            stableSince = clock.instant();
        }
    }

    /** True when a non-first source has been stable long enough to try the first one again. */
    synchronized boolean failbackDue() {
        return current != 0 && stableSince != null
                && !stableSince.plus(failover.failback()).isAfter(clock.instant());
    }

    /** The first source is live again (after a successful failback). */
    synchronized void returnedToFirst() {
        current = 0;
        failures.get(0).clear();
        stableSince = clock.instant();
    }

    /** A failback attempt failed: stay on the current source and wait a full failback period again. */
    synchronized void failbackFailed() {
        stableSince = clock.instant();
    }
}
