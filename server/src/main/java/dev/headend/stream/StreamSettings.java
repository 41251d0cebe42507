package dev.headend.stream;

import java.time.Duration;

/**
 * The settings of streams, bound from the server settings.
 *
 * @param segmentSeconds the target segment duration of transcoded channels
 * @param windowSegments segments listed in a live playlist
 * @param startTimeout how long a first segment may take; a pipeline that has produced none by then is killed
 * @param sweepInterval how often the sweep looks for stalled starts and ended streams
 * @param stopGrace time between SIGTERM and SIGKILL when a pipeline process is stopped
 * @param maxProcessAge a pipeline process running longer is replaced seamlessly
 * @param failover when a channel moves to its next source and back
 */
public record StreamSettings(int segmentSeconds, int windowSegments, Duration startTimeout, Duration sweepInterval,
        Duration stopGrace, Duration maxProcessAge, Failover failover) {
    public StreamSettings {
        if (segmentSeconds < 1 || windowSegments < 1) {
            throw new IllegalArgumentException("segment seconds and window must be positive: " + segmentSeconds
                    + ", " + windowSegments);
        }
    }
}
