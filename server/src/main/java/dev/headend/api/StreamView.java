package dev.headend.api;

import dev.headend.media.PlaylistView;
import dev.headend.pipeline.ProgressStats;
import dev.headend.stream.Health;
import dev.headend.stream.Stream;
import dev.headend.stream.StreamState;
import java.time.Instant;
import java.util.Locale;

/** JSON shape of a running stream. */
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
        String circuitState,
        String nextRestartAt,
        String slateStatus,
        int activeSourceIndex,
        String activeSource,
        Double processAge) {

    static StreamView of(Stream s, String baseUrl) {
        ProgressStats p = s.progress();
        Health health = s.health();
        PlaylistView playlist = s.store().playlist();
        String reason = switch (s.state()) {
            case StreamState.Starting st -> null;
            case StreamState.Running r -> null;
            case StreamState.Restarting r -> r.reason();
            case StreamState.Failed f -> f.reason();
            case StreamState.Stopped st -> st.reason();
        };
        return new StreamView(
                s.id(),
                s.channel().name(),
                s.state().name(),
                reason,
                s.state() instanceof StreamState.Running,
                Math.round(s.uptime().toMillis() / 100.0) / 10.0,
                s.viewers(),
                s.pid().orElse(null),
                s.restarts(),
                s.lastError().orElse(null),
                s.channel().source().display(),
                playlistUrl(baseUrl, s.id()),
                tsUrl(baseUrl, s.id()),
                playlist.targetDuration(),
                playlist.window().isEmpty() ? null : playlist.window().getLast().sequence(),
                p.fps(),
                p.speed(),
                p.bitrateKbps(),
                p.droppedFrames(),
                health.status().name().toLowerCase(Locale.ROOT),
                health.reason(),
                s.circuitState().name().toLowerCase(Locale.ROOT),
                s.nextRestartAt().map(Instant::toString).orElse(null),
                s.slateStatus().orElse(null),
                s.activeSourceIndex(),
                s.activeSource().display(),
                s.processAge().map(a -> Math.round(a.toMillis() / 100.0) / 10.0).orElse(null));
    }

    static String playlistUrl(String baseUrl, String id) {
        return baseUrl + "/live/" + id + "/index.m3u8";
    }

    static String tsUrl(String baseUrl, String id) {
        return baseUrl + "/live/" + id + ".ts";
    }
}
