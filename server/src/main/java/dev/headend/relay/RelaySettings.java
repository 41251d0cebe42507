package dev.headend.relay;

import java.time.Duration;

/**
 * The relay's settings, bound from the server settings.
 *
 * @param maxFrameBytes a frame larger than this (decoded) is skipped and counted as invalid
 * @param stallAfter no frame for this long: the publisher is reported stalled (once per silence; never
 *     when the end window is not longer)
 * @param endAfter no frame for this long: the stream ends with reason {@code timed_out}
 * @param sendTimeout a viewer whose send has not completed after this long is disconnected
 * @param pingInterval every connection is pinged this often
 * @param pongTimeout a connection that has answered nothing (pong or message) for this long is removed
 */
public record RelaySettings(int maxFrameBytes, Duration stallAfter, Duration endAfter, Duration sendTimeout,
        Duration pingInterval, Duration pongTimeout) {
    /** Invalid frames in a row after which a publisher is closed. */
    public static final int INVALID_IN_A_ROW_LIMIT = 10;
    /** Interval of the per-stream progress log line. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    public RelaySettings {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
    }
}
