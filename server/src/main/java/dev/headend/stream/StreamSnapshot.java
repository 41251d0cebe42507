package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.pipeline.ProgressStats;
import dev.headend.resilience.CircuitState;
import dev.headend.slate.SlateReadiness;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One consistent picture of a running stream, taken at once: what the API, the dashboard and
 * the metrics show. Immutable.
 *
 * @param channel the channel's current definition
 * @param uptime how long the stream has existed
 * @param pid the live pipeline process, while it runs
 * @param processAge how long the live run has existed, while there is one
 * @param lastError the latest failure, also after a recovery
 * @param nextRestartAt when the pending restart is due, by the wall clock, while restarting
 * @param slateStatus the status line of the slate showing now (empty when it has none); empty
 *     when no slate shows
 * @param slateReadiness whether a slate can cover a failure now
 * @param activeSourceIndex the index of the source the live run reads, in the definition it was
 *     built from; with no live run, that of the source the next run reads
 * @param activeSource that source
 * @param targetDuration the playlist's constant target duration, in seconds
 * @param mediaSequence the playlist's {@code EXT-X-MEDIA-SEQUENCE}; empty before the first segment
 */
public record StreamSnapshot(
        Channel channel,
        StreamState state,
        Duration uptime,
        int viewers,
        Optional<Long> pid,
        Optional<Duration> processAge,
        int restarts,
        Optional<String> lastError,
        Health health,
        CircuitState circuitState,
        Optional<Instant> nextRestartAt,
        Optional<String> slateStatus,
        SlateReadiness slateReadiness,
        int activeSourceIndex,
        Source activeSource,
        int targetDuration,
        Optional<Long> mediaSequence,
        ProgressStats progress) {

    public String id() {
        return channel.id();
    }

    /** The reason of a restarting, failed or stopped stream. */
    public Optional<String> stateReason() {
        return switch (state) {
            case StreamState.Starting s -> Optional.empty();
            case StreamState.Running r -> Optional.empty();
            case StreamState.Restarting r -> Optional.of(r.reason());
            case StreamState.Failed f -> Optional.of(f.reason());
            case StreamState.Stopped s -> Optional.of(s.reason());
        };
    }
}
