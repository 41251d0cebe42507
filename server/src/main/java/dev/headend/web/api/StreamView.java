package dev.headend.web.api;

import dev.headend.security.Secrets;
import dev.headend.stream.StreamSnapshot;
import dev.headend.stream.StreamState;
import dev.headend.web.live.PlaybackLinks;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** JSON shape of a running stream, from one snapshot. Texts that may quote a source are masked. */
public record StreamView(
        String streamId,
        String name,
        String state,
        String stateReason,
        boolean isActive,
        double uptime,
        int viewers,
        Long pid,
        int restarts,
        String lastError,
        String source,
        String playlistUrl,
        String tsUrl,
        int targetDuration,
        Long mediaSequence,
        double currentFps,
        double currentSpeed,
        double currentBitrateKbps,
        long droppedFrames,
        String health,
        String healthReason,
        String lastSegmentAt,
        String circuitState,
        String nextRestartAt,
        String slateStatus,
        String slate,
        int activeSourceIndex,
        String activeSource,
        Double processAge) {

    static StreamView of(StreamSnapshot s, PlaybackLinks.Links links) {
        return of(s, links, s.viewers());
    }

    /** @param viewers the viewers shown (the cluster's, in a cluster) */
    static StreamView of(StreamSnapshot s, PlaybackLinks.Links links, int viewers) {
        return new StreamView(
                s.id(),
                s.channel().name(),
                s.state().name(),
                s.stateReason().map(Secrets::mask).orElse(null),
                s.state() instanceof StreamState.Running,
                tenths(s.uptime()),
                viewers,
                s.pid().orElse(null),
                s.restarts(),
                s.lastError().map(Secrets::mask).orElse(null),
                s.channel().source().display(),
                links.playlistUrl(),
                links.tsUrl(),
                s.targetDuration(),
                s.mediaSequence().orElse(null),
                s.progress().fps(),
                s.progress().speed(),
                s.progress().bitrateKbps(),
                s.progress().droppedFrames(),
                s.health().status().name().toLowerCase(Locale.ROOT),
                Secrets.mask(s.health().reason()),
                s.health().lastSegmentAt().map(Instant::toString).orElse(null),
                s.circuitState().name().toLowerCase(Locale.ROOT),
                s.nextRestartAt().map(Instant::toString).orElse(null),
                s.slateStatus().orElse(null),
                s.slateReadiness().name().toLowerCase(Locale.ROOT),
                s.activeSourceIndex(),
                s.activeSource().display(),
                s.processAge().map(StreamView::tenths).orElse(null));
    }

    /** Seconds with one decimal. */
    static double tenths(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }
}
