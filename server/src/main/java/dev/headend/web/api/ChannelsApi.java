package dev.headend.web.api;

import dev.headend.channel.Channel;
import dev.headend.resilience.CircuitState;
import dev.headend.security.Secrets;
import dev.headend.stream.Health;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSnapshot;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.Lookups;
import dev.headend.web.live.PlaybackLinks;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /api/channels}: channel definitions with their current state, and each channel's health. */
public final class ChannelsApi implements RouteGroup {
    private static final Duration LONGEST_SIGNED_URL = Duration.ofDays(365);

    private final StreamManager streams;
    private final PlaybackLinks links;

    public ChannelsApi(StreamManager streams, PlaybackLinks links) {
        this.streams = streams;
        this.links = links;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/channels", this::list),
                Route.get("/api/channels/{id}", this::get),
                Route.get("/api/channels/{id}/health", this::health),
                Route.post("/api/channels/{id}/signed-url", this::signedUrl));
    }

    private void list(Exchange ex) {
        String base = ex.baseUrl();
        List<ChannelView> all = streams.channels().all().stream()
                .map(c -> ChannelView.of(c, streams, links.of(base, c.id()))).toList();
        ex.json(200, Map.of("channels", all, "count", all.size()));
    }

    private void get(Exchange ex) {
        Channel c = Lookups.channel(streams.channels(), ex.param("id"));
        ex.json(200, ChannelView.of(c, streams, links.of(ex.baseUrl(), c.id())));
    }

    /**
     * Signed playback URLs for one channel: {@code ?ttl_seconds=N} (default {@code
     * signed_url_seconds}, at most a year). 409 {@code playback_not_protected} when no {@code
     * playback_secret} is set, as every URL then plays without a signature.
     */
    private void signedUrl(Exchange ex) {
        Channel c = Lookups.channel(streams.channels(), ex.param("id"));
        if (!links.signed()) {
            throw new ApiException(409, "playback_not_protected", "playback_secret is not set: playback URLs need no"
                    + " signature (see playlist_url in GET /api/channels/" + c.id() + ")");
        }
        Duration ttl = links.lifetime();
        Optional<String> asked = ex.query("ttl_seconds");
        if (asked.isPresent()) {
            String t = asked.get();
            if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(Character::isDigit) || Long.parseLong(t) < 1
                    || Duration.ofSeconds(Long.parseLong(t)).compareTo(LONGEST_SIGNED_URL) > 0) {
                throw new ApiException(400, "invalid_parameter", "ttl_seconds must be a whole number of seconds from"
                        + " 1 to " + LONGEST_SIGNED_URL.toSeconds() + ", got '" + Http.printable(t) + "'");
            }
            ttl = Duration.ofSeconds(Long.parseLong(t));
        }
        PlaybackLinks.Links signed = links.of(ex.baseUrl(), c.id(), ttl);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel_id", c.id());
        body.put("playlist_url", signed.playlistUrl());
        body.put("ts_url", signed.tsUrl());
        body.put("expires_at", signed.expiresAt().map(Instant::toString).orElseThrow());
        ex.json(200, body);
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
            body.put("reason", Secrets.mask(h.reason()));
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
            body.put("reason", failure.map(f -> Secrets.mask(f.reason())).orElse(null));
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
