package dev.headend.api;

import dev.headend.resilience.RestartDecision;
import dev.headend.stream.StartResult;
import dev.headend.stream.Stream;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamUnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /api/streams}: start, stop, inspect and clean up streams. */
public final class StreamsApi {
    private final StreamManager streams;
    private final Duration startTimeout;

    public StreamsApi(StreamManager streams, Duration startTimeout) {
        this.streams = streams;
        this.startTimeout = startTimeout;
    }

    public void list(Request request, Response response, Callback callback) {
        String base = Http.baseUrl(request);
        List<StreamView> all = streams.all().stream().map(s -> StreamView.of(s, base)).toList();
        Http.json(response, callback, 200, Map.of("streams", all, "count", all.size()));
    }

    public void get(Request request, Response response, Callback callback, String id) {
        Lookups.channel(streams.channels(), id);
        Stream s = streams.find(id).orElseThrow(() -> new ApiException(404, "stream_not_found",
                "channel " + id + " is not running" + streams.lastFailure(id)
                        .map(f -> " (last failure: " + f.reason() + ")").orElse("")));
        Http.json(response, callback, 200, StreamView.of(s, Http.baseUrl(request)));
    }

    public void start(Request request, Response response, Callback callback, String id) throws InterruptedException {
        String wait = Http.query(request, "wait");
        if (wait != null && !wait.equals("ready")) {
            throw new ApiException(400, "invalid_parameter", "wait must be 'ready' (or absent), got '"
                    + wait.replaceAll("[^ -~]", "?") + "'");
        }
        StartResult r = Lookups.start(streams, id);
        if (wait != null || r.stream().terminal()) {
            try {
                r.stream().awaitReady(startTimeout);
            } catch (StreamUnavailableException e) {
                throw Lookups.unavailable(e);
            }
        }
        String base = Http.baseUrl(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("playlist_url", StreamView.playlistUrl(base, id));
        body.put("ts_url", StreamView.tsUrl(base, id));
        body.put("already_running", r.alreadyRunning());
        body.put("uptime", r.alreadyRunning() ? Math.round(r.stream().uptime().toMillis() / 100.0) / 10.0 : 0.0);
        body.put("state", r.stream().state().name());
        Http.json(response, callback, 200, body);
    }

    public void stop(Request request, Response response, Callback callback, String id) {
        Lookups.channel(streams.channels(), id);
        boolean wasRunning = streams.stop(id, "stopped by API request");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("was_running", wasRunning);
        Http.json(response, callback, 200, body);
    }

    /**
     * Hot swap: a new pipeline starts beside the running one and takes over at a segment
     * boundary, when the restart policy's global throttle allows (202 with the time).
     */
    public void restart(Request request, Response response, Callback callback, String id) {
        Lookups.channel(streams.channels(), id);
        Stream s = streams.find(id).orElseThrow(() -> new ApiException(409, "stream_not_running",
                "channel " + id + " is not running; start it instead"));
        RestartDecision d = s.restart().orElseThrow(() -> new ApiException(409, "restart_in_progress",
                "channel " + id + " is " + s.state().name() + "; a restart is already under way or not possible now"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("stream_id", id);
        body.put("restart_at", d.at().toString());
        body.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
        body.put("message", d.explanation());
        Http.json(response, callback, 202, body);
    }

    public void cleanup(Response response, Callback callback) {
        int n = streams.sweep(startTimeout);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("cleaned_up", n);
        body.put("message", n == 0 ? "no dead or stalled stream found"
                : "cleaned up " + n + " dead or stalled stream" + (n == 1 ? "" : "s"));
        Http.json(response, callback, 200, body);
    }
}
