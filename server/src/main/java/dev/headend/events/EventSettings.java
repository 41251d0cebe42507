package dev.headend.events;

import java.time.Duration;

/**
 * @param giveUpAfter a delivery still failing this long after its event was stored is dead
 * @param backoff waits between delivery attempts
 * @param listenerQueue events queued per feed listener before it gets a gap
 */
public record EventSettings(Duration giveUpAfter, Backoff backoff, int listenerQueue) {
    /** The wait after a first failed delivery (before jitter). */
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
}
