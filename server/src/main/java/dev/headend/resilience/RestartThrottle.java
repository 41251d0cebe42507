package dev.headend.resilience;

import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide restart budget: at most {@code maxRestarts} restarts in any window of length
 * {@code window}, across all channels. A slot is reserved when the restart is decided, so a restart
 * scheduled for later already counts at its time.
 *
 * <p>Invariants: {@code slots} is sorted; any two slots {@code maxRestarts} positions apart are at
 * least {@code window} apart, i.e. no half-open window {@code [s, s + window)} holds more than
 * {@code maxRestarts} slots; slots at or before {@code now - window}, which can no longer share a
 * window with a new slot, are pruned. Not thread-safe: used under {@link RestartPolicy}'s lock.
 */
final class RestartThrottle {
    private static final Logger log = LoggerFactory.getLogger(RestartThrottle.class);

    private int maxRestarts;
    private Duration window;
    private final List<Moment> slots = new ArrayList<>();

    RestartThrottle(int maxRestarts, Duration window) {
        this.maxRestarts = maxRestarts;
        this.window = window;
    }

    /**
     * New limits for the slots reserved from now on; slots already reserved stay where they are
     * (a lower limit may leave a window over it until they pass).
     */
    void limits(int maxRestarts, Duration window) {
        this.maxRestarts = maxRestarts;
        this.window = window;
    }

    /** Reserves and returns the earliest slot at or after {@code earliest} that keeps the budget. */
    Moment reserve(Moment earliest, Moment now) {
        prune(now);
        Moment slot = earliestFreeSlot(earliest);
        int position = Collections.binarySearch(slots, slot);
        slots.add(position < 0 ? -position - 1 : position, slot);
        log.debug("reserved a restart slot {} ms from now (asked for {} ms), {} slots held",
                now.until(slot).toMillis(), now.until(earliest).toMillis(), slots.size());
        return slot;
    }

    /** Gives back a slot that will not be used (its restart was superseded by a newer decision). */
    void release(Moment slot) {
        boolean released = slots.remove(slot);
        log.debug("released a restart slot: {}", released ? "freed" : "already pruned");
    }

    /**
     * Walks every run of {@code maxRestarts} consecutive slots; when the candidate would make such a
     * run a crowded window, the candidate moves to the first instant that run's oldest slot no
     * longer shares a window with. Earlier runs stay satisfied because the candidate only grows.
     */
    private Moment earliestFreeSlot(Moment earliest) {
        Moment candidate = earliest;
        for (int first = 0; first + maxRestarts <= slots.size(); first++) {
            Moment oldest = slots.get(first);
            Moment newest = slots.get(first + maxRestarts - 1);
            if (spanIncluding(candidate, oldest, newest).compareTo(window) < 0) {
                candidate = oldest.plus(window);
            }
        }
        return candidate;
    }

    private static Duration spanIncluding(Moment candidate, Moment oldest, Moment newest) {
        Moment start = candidate.isBefore(oldest) ? candidate : oldest;
        Moment end = Moment.latest(candidate, newest);
        return start.until(end);
    }

    private void prune(Moment now) {
        Moment horizon = now.minus(window);
        slots.removeIf(slot -> !slot.isAfter(horizon));
    }
}
