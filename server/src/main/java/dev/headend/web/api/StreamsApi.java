package dev.headend.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.resilience.RestartDecision;
import dev.headend.stream.LiveStream;
import dev.headend.stream.NotOwnerException;
import dev.headend.stream.Ownership;
import dev.headend.stream.StartResult;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSnapshot;
import dev.headend.stream.StreamUnavailableException;
import dev.headend.time.TimeSource;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.Lookups;
import dev.headend.web.live.PlaybackLinks;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/streams}: start, stop, restart, inspect and clean up streams. Start and stop also
 * take the channel in a JSON body ({@code POST /api/streams/start} with {@code {"stream_id":
 * ...}}), as camera managers send them.
 */
public final class StreamsApi implements RouteGroup {
    private final StreamManager streams;
    private final PlaybackLinks links;
    private final TimeSource time;
    private final Runnable syncMirror;
    private final ViewerCounts viewers;

    /**
     * @param time turns restart times into dates
     * @param syncMirror brings the HLS mirror up to date now (nothing when there is none), so a
     *     heartbeat that started a channel answers once the web server in front can serve it
     */
    public StreamsApi(StreamManager streams, PlaybackLinks links, TimeSource time, Runnable syncMirror) {
        this(streams, links, time, syncMirror, ViewerCounts.LOCAL);
    }

    /** @param viewers the viewer counts shown (the cluster's, in a cluster) */
    public StreamsApi(StreamManager streams, PlaybackLinks links, TimeSource time, Runnable syncMirror,
            ViewerCounts viewers) {
        this.viewers = viewers;
        this.streams = streams;
        this.links = links;
        this.time = time;
        this.syncMirror = syncMirror;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/streams", this::list),
                Route.get("/api/streams/{id}", ex -> get(ex, ex.param("id"))),
                Route.post("/api/streams/{id}/start", ex -> start(ex, ex.param("id"))),
                Route.post("/api/streams/{id}/stop", ex -> stop(ex, ex.param("id"))),
                Route.post("/api/streams/{id}/restart", this::restart),
                Route.post("/api/streams/{id}/heartbeat", this::heartbeat),
                Route.get("/api/streams/{id}/heartbeat", this::heartbeat),
                Route.post("/api/streams/start", ex -> start(ex, idInBody(ex))),
                Route.post("/api/streams/stop", ex -> stop(ex, idInBody(ex))),
                Route.post("/api/streams/cleanup", this::cleanup));
    }

    private void list(Exchange ex) {
        String base = ex.baseUrl();
        List<LiveStream> running = streams.all().stream().toList();
        Optional<Map<String, Integer>> counts = viewers.of(running.stream().map(LiveStream::id).toList());
        List<StreamView> all = running.stream().map(s -> view(s, links.of(base, s.id()), counts)).toList();
        ex.json(200, Map.of("streams", all, "count", all.size()));
    }

    private void get(Exchange ex, String id) {
        Lookups.channel(streams.channels(), id);
        LiveStream s = streams.find(id).orElseThrow(() -> new ApiException(404, "stream_not_found",
                "channel " + id + " is not running" + streams.lastFailure(id)
                        .map(f -> " (last failure: " + f.reason() + ")").orElse("")));
        ex.json(200, view(s, links.of(ex.baseUrl(), id), viewers.of(List.of(id))));
    }

    private static StreamView view(LiveStream s, PlaybackLinks.Links links, Optional<Map<String, Integer>> counts) {
        StreamSnapshot snapshot = s.snapshot();
        return StreamView.of(snapshot, links, counts.map(c -> c.getOrDefault(s.id(), 0)).orElse(snapshot.viewers()));
    }

    private void start(Exchange ex, String id) throws InterruptedException {
        String wait = ex.query("wait").orElse(null);
        if (wait != null && !wait.equals("ready")) {
            throw new ApiException(400, "invalid_parameter", "wait must be 'ready' (or absent), got '"
                    + Http.printable(wait) + "'");
        }
        StartResult r;
        try {
            r = Lookups.startHere(streams, id);
        } catch (NotOwnerException e) {
            Ownership.Claim.Elsewhere owner = e.elsewhere().orElseThrow(() -> Lookups.notOwner(e));
            runsElsewhere(ex, id, owner);
            return;
        }
        if (wait != null || r.stream().terminal()) {
            try {
                r.stream().awaitReady(streams.settings().startTimeout());
            } catch (StreamUnavailableException e) {
                throw Lookups.unavailable(e);
            }
        }
        Map<String, Object> body = started(ex, id, r.alreadyRunning());
        body.put("uptime", r.alreadyRunning() ? StreamView.tenths(r.stream().snapshot().uptime()) : 0.0);
        body.put("state", r.stream().state().name());
        ex.json(200, body);
    }

    /**
     * The answer to a start on a cluster node when another node runs the channel: it runs, so
     * the start succeeds, naming the node; its playback URLs are this node's (any node serves it).
     */
    private void runsElsewhere(Exchange ex, String id, Ownership.Claim.Elsewhere owner) {
        Map<String, Object> body = started(ex, id, true);
        body.put("node", owner.node());
        ex.json(200, body);
    }

    /** The fields every successful start answers with: the stream, its playback URLs on this node. */
    private Map<String, Object> started(Exchange ex, String id, boolean alreadyRunning) {
        PlaybackLinks.Links urls = links.of(ex.baseUrl(), id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("playlist_url", urls.playlistUrl());
        body.put("ts_url", urls.tsUrl());
        body.put("already_running", alreadyRunning);
        return body;
    }

    private void stop(Exchange ex, String id) {
        Lookups.channel(streams.channels(), id);
        boolean wasRunning = streams.stop(id, "stopped by API request");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("was_running", wasRunning);
        ex.json(200, body);
    }

    /**
     * Hot swap: a new pipeline starts beside the running one and takes over at a segment
     * boundary, when the restart policy's global throttle allows (202 with the time).
     */
    private void restart(Exchange ex) {
        String id = ex.param("id");
        Lookups.channel(streams.channels(), id);
        LiveStream s = streams.find(id).orElseThrow(() -> new ApiException(409, "stream_not_running",
                "channel " + id + " is not running; start it instead"));
        RestartDecision d = s.restart().orElseThrow(() -> new ApiException(409, "restart_in_progress",
                "channel " + id + " is " + s.state().name() + "; a restart is already under way or not possible now"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("restart_at", time.wallTime(d.at()).toString());
        body.put("verdict", d.verdict().name().toLowerCase(Locale.ROOT));
        body.put("message", d.explanation());
        ex.json(202, body);
    }

    /**
     * An external web server reports a viewer: the stream counts as watched now, as if a viewer
     * had just left, so it stops {@code linger_seconds} after the last heartbeat. With {@code
     * ?start=true} a channel that is not running is started first, and the answer waits for its
     * first segment, as a viewer's first request would (for nginx's {@code auth_request} in front of
     * the HLS mirror, where the first viewer must start the channel).
     */
    private void heartbeat(Exchange ex) throws InterruptedException {
        String id = ex.param("id");
        Lookups.channel(streams.channels(), id);
        String start = ex.query("start").orElse("false");
        if (!start.equals("true") && !start.equals("false")) {
            throw new ApiException(400, "invalid_parameter", "start must be 'true' or 'false', got '"
                    + Http.printable(start) + "'");
        }
        LiveStream s;
        if (start.equals("true")) {
            s = Lookups.start(streams, id).stream();
            try {
                s.awaitReady(streams.settings().startTimeout());
            } catch (StreamUnavailableException e) {
                throw Lookups.unavailableToViewer(id, e);
            }
            syncMirror.run();
        } else {
            s = streams.find(id).filter(st -> !st.terminal()).orElseThrow(() -> new ApiException(404,
                    "stream_not_running", "channel " + id + " is not running; start it first (or ?start=true)"));
        }
        s.watched();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("viewers", s.viewers());
        body.put("linger_seconds", s.channel().linger().toMillis() / 1000.0);
        ex.json(200, body);
    }

    private void cleanup(Exchange ex) {
        int n = streams.sweep();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("cleaned_up", n);
        body.put("message", n == 0 ? "no dead or stalled stream found"
                : "cleaned up " + n + " dead or stalled stream" + (n == 1 ? "" : "s"));
        ex.json(200, body);
    }

    /** The channel named by {@code stream_id} in the JSON body. */
    private static String idInBody(Exchange ex) throws IOException {
        JsonNode body = ex.jsonBody();
        JsonNode id = body.get("stream_id");
        if (id == null || !id.isTextual()) {
            throw new ApiException(400, "invalid_parameter",
                    "the body must name the channel: {\"stream_id\": \"<channel id>\"}");
        }
        return id.asText();
    }
}
