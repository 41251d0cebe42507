package dev.headend.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.catalog.CatalogException;
import dev.headend.catalog.ChannelRegistry;
import dev.headend.channel.Channel;
import dev.headend.config.ConfigException;
import dev.headend.resilience.CircuitState;
import dev.headend.security.Secrets;
import dev.headend.stream.Health;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSnapshot;
import dev.headend.sync.UnsharedChangeException;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.Lookups;
import dev.headend.web.live.PlaybackLinks;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code /api/channels}: channel definitions with their origin ({@code file}, {@code api},
 * {@code template}) and current state, each channel's health; creating, changing and deleting
 * channels of origin {@code api} (see {@link ChannelRegistry}).
 *
 * <p>A channel's answer carries its strong {@code ETag}. {@code PUT} and {@code DELETE} honour
 * {@code If-Match} (412 {@code precondition_failed} when it names an older version); without
 * {@code If-Match} the change is made whatever the current version (last write wins), so
 * scripts need not read before writing; the dashboard's edit form sends it.
 */
public final class ChannelsApi implements RouteGroup {
    private static final Duration LONGEST_SIGNED_URL = Duration.ofDays(365);

    private final ChannelRegistry channels;
    private final StreamManager streams;
    private final PlaybackLinks links;
    private final ViewerCounts viewers;

    public ChannelsApi(ChannelRegistry channels, PlaybackLinks links) {
        this(channels, links, ViewerCounts.LOCAL);
    }

    /** @param viewers the viewer counts shown (the cluster's, in a cluster) */
    public ChannelsApi(ChannelRegistry channels, PlaybackLinks links, ViewerCounts viewers) {
        this.viewers = viewers;
        this.channels = channels;
        this.streams = channels.streams();
        this.links = links;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/channels", this::list),
                Route.post("/api/channels", this::create),
                Route.get("/api/channels/{id}", this::get),
                Route.put("/api/channels/{id}", this::update),
                Route.delete("/api/channels/{id}", this::delete),
                Route.get("/api/channels/{id}/health", this::health),
                Route.post("/api/channels/{id}/signed-url", this::signedUrl));
    }

    private void list(Exchange ex) {
        String base = ex.baseUrl();
        List<ChannelRegistry.Entry> entries = channels.all();
        Optional<Map<String, Integer>> counts = viewers.of(entries.stream().map(e -> e.channel().id()).toList());
        List<ChannelView> all = entries.stream().map(e -> view(e, base, counts)).toList();
        ex.json(200, Map.of("channels", all, "count", all.size()));
    }

    private void get(Exchange ex) {
        Channel c = Lookups.channel(streams.channels(), ex.param("id"));
        ChannelRegistry.Entry e = channels.find(c.id()).orElseThrow(() -> notFound(c.id()));
        answer(ex, 200, e);
    }

    /** 201 with the channel, its {@code Location} and {@code ETag}; 422 {@code invalid_channel}, 409 {@code channel_exists}. */
    private void create(Exchange ex) throws IOException {
        JsonNode body = ex.jsonBody();
        ChannelRegistry.Entry e = change(() -> channels.create(body));
        ex.response().getHeaders().put(HttpHeader.LOCATION, "/api/channels/" + e.channel().id());
        answer(ex, 201, e);
    }

    /** 200 with the changed channel; its id is the path's (a body {@code id} must equal it). */
    private void update(Exchange ex) throws IOException {
        String id = ex.param("id");
        JsonNode body = ex.jsonBody();
        JsonNode bodyId = body.get("id");
        if (bodyId != null && !bodyId.isNull() && !(bodyId.isTextual() && bodyId.asText().trim().equals(id))) {
            throw new ApiException(400, "id_mismatch", "the body's id '" + Http.printable(bodyId.asText())
                    + "' is not the path's '" + Http.printable(id) + "'; a channel's id cannot change (create"
                    + " another and delete this one)");
        }
        ChannelRegistry.Entry e = change(() -> channels.update(id, (ObjectNode) body, ifMatch(ex)));
        answer(ex, 200, e);
    }

    /** 204; a running stream of the channel stops with {@code stream_ended} reason {@code deleted}. */
    private void delete(Exchange ex) {
        String id = ex.param("id");
        change(() -> {
            channels.delete(id, ifMatch(ex));
            return null;
        });
        ex.empty(204);
    }

    private void answer(Exchange ex, int status, ChannelRegistry.Entry e) {
        ex.response().getHeaders().put(HttpHeader.ETAG, e.etag());
        ex.json(status, view(e, ex.baseUrl(), viewers.of(List.of(e.channel().id()))));
    }

    private ChannelView view(ChannelRegistry.Entry e, String base, Optional<Map<String, Integer>> counts) {
        String id = e.channel().id();
        return ChannelView.of(e.channel(), e.origin().label(), streams, links.of(base, id),
                counts.map(c -> c.getOrDefault(id, 0)));
    }

    private static Optional<String> ifMatch(Exchange ex) {
        return ex.header(HttpHeader.IF_MATCH);
    }

    /** Runs a change of the catalog, its refusals made API errors. */
    private static <T> T change(Supplier<T> change) {
        try {
            return change.get();
        } catch (UnsharedChangeException e) {
            throw unshared(e);
        } catch (ConfigException e) {
            throw new ApiException(422, "invalid_channel", Secrets.mask(e.getMessage()) + "; nothing was changed");
        } catch (CatalogException e) {
            throw switch (e.kind()) {
                case NOT_FOUND -> new ApiException(404, "channel_not_found", e.getMessage());
                case READ_ONLY -> new ApiException(409, "read_only_channel", e.getMessage());
                case EXISTS -> new ApiException(409, "channel_exists", e.getMessage());
                case STALE -> new ApiException(412, "precondition_failed", e.getMessage());
            };
        }
    }

    /** 503 {@code cluster_unavailable}: the cluster could not be told of the change, so nothing changed. */
    static ApiException unshared(UnsharedChangeException e) {
        return new ApiException(503, "cluster_unavailable", e.getMessage() + "; nothing was changed",
                (int) Math.max(1, e.retryAfter().toSeconds()));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "channel_not_found", "no channel with id '" + id + "'");
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
