package dev.headend.session;

import java.time.Duration;

/**
 * The settings of viewer sessions, bound from the server settings.
 *
 * @param idle an HLS session ends after three target durations plus this long without a segment request
 * @param maxPerChannel sessions a channel may have at once; 0 for no limit
 * @param idleTimeout a session that received no media for this long is ended (TS: its connection closed)
 * @param cleanupInterval how often sessions are checked against {@code idleTimeout}
 */
public record SessionSettings(Duration idle, int maxPerChannel, Duration idleTimeout, Duration cleanupInterval) {
    public SessionSettings {
        if (maxPerChannel < 0) {
            throw new IllegalArgumentException("maxPerChannel must be 0 (no limit) or more: " + maxPerChannel);
        }
    }
}
