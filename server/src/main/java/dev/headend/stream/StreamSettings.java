package dev.headend.stream;

import java.time.Duration;

/**
 * The settings of streams, bound from the server settings. A stream keeps the settings it
 * started with; changed settings apply to the streams started after the change.
 *
 * @param segmentSeconds the target segment duration of transcoded channels
 * @param windowSegments segments listed in a live playlist
 * @param keptAfterWindow segments that stay downloadable after they leave the playlist
 * @param initialSegments segments a new stream lists before it counts as ready (its first playlist is answered)
 * @param startTimeout how long a first segment may take; a pipeline that has produced none by then is killed
 * @param sweepInterval how often the sweep looks for stalled starts and ended streams
 * @param stopGrace time between SIGTERM and SIGKILL when a pipeline process is stopped
 * @param maxProcessAge a pipeline process running longer is replaced seamlessly
 * @param failover when a channel moves to its next source and back
 */
public record StreamSettings(int segmentSeconds, int windowSegments, int keptAfterWindow, int initialSegments,
        Duration startTimeout, Duration sweepInterval, Duration stopGrace, Duration maxProcessAge, Failover failover) {
    public StreamSettings {
        if (segmentSeconds < 1 || windowSegments < 1) {
            throw new IllegalArgumentException("segment seconds and window must be positive: " + segmentSeconds
                    + ", " + windowSegments);
        }
        if (keptAfterWindow < 0 || initialSegments < 1 || initialSegments > windowSegments) {
            throw new IllegalArgumentException("segments kept after the window must not be negative and initial"
                    + " segments must be within the window: " + keptAfterWindow + ", " + initialSegments);
        }
    }
}
