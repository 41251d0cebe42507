package dev.headend.web.api;

import dev.headend.channel.Channel;
import dev.headend.resilience.CircuitState;
import dev.headend.stream.Health;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSnapshot;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.Lookups;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /api/channels}: channel definitions with their current state, and each channel's health. */
public final class ChannelsApi implements RouteGroup {
    private final StreamManager streams;

    public ChannelsApi(StreamManager streams) {
        this.streams = streams;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/channels", this::list),
                Route.get("/api/channels/{id}", this::get),
                Route.get("/api/channels/{id}/health", this::health));
    }

    private void list(Exchange ex) {
        String base = ex.baseUrl();
        List<ChannelView> all = streams.channels().all().stream().map(c -> ChannelView.of(c, streams, base)).toList();
        ex.json(200, Map.of("channels", all, "count", all.size()));
    }

    private void get(Exchange ex) {
        Channel c = Lookups.channel(streams.channels(), ex.param("id"));
        ex.json(200, ChannelView.of(c, streams, ex.baseUrl()));
    }

    /**
     * Health of a channel: {@code healthy}, {@code degraded}, {@code unhealthy} or {@code failed}
     * while it runs; {@code failed} when not running after a failed start or with an open
     * circuit; {@code idle} otherwise.
     */
    private void health(Exchange ex) {
        String id = ex.param("id");
        Lookups.channel(streams.channels(), id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel_id", id);
        Optional<StreamSnapshot> running = streams.find(id).map(s -> s.snapshot());
        if (running.isPresent()) {
            StreamSnapshot s = running.get();
            Health h = s.health();
            body.put("status", h.status().name().toLowerCase(Locale.ROOT));
            body.put("reason", h.reason());
            body.put("current_fps", h.fps());
            body.put("current_speed", h.speed());
            body.put("current_bitrate_kbps", h.bitrateKbps());
            body.put("dropped_frames", h.droppedFrames());
            body.put("last_segment_at", h.lastSegmentAt().map(Instant::toString).orElse(null));
            body.put("sessions_active", s.viewers());
            body.put("circuit_state", s.circuitState().name().toLowerCase(Locale.ROOT));
        } else {
            CircuitState circuit = streams.circuitState(id);
            Optional<StreamManager.Failure> failure = streams.lastFailure(id);
            body.put("status", failure.isPresent() || circuit != CircuitState.CLOSED ? "failed" : "idle");
            body.put("reason", failure.map(StreamManager.Failure::reason).orElse(null));
            body.put("current_fps", 0.0);
            body.put("current_speed", 0.0);
            body.put("current_bitrate_kbps", 0.0);
            body.put("dropped_frames", 0);
            body.put("last_segment_at", null);
            body.put("sessions_active", 0);
            body.put("circuit_state", circuit.name().toLowerCase(Locale.ROOT));
        }
        ex.json(200, body);
    }
}
