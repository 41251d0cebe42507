package dev.headend.api;

import dev.headend.channel.Channel;
import dev.headend.resilience.CircuitState;
import dev.headend.stream.Health;
import dev.headend.stream.Stream;
import dev.headend.stream.StreamManager;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /api/channels}: channel definitions with their current state. */
public final class ChannelsApi {
    private final StreamManager streams;

    public ChannelsApi(StreamManager streams) {
        this.streams = streams;
    }

    public void list(Request request, Response response, Callback callback) {
        String base = Http.baseUrl(request);
        List<ChannelView> all = streams.channels().all().stream().map(c -> ChannelView.of(c, streams, base)).toList();
        Http.json(response, callback, 200, Map.of("channels", all, "count", all.size()));
    }

    /**
     * Health of a channel: {@code healthy}, {@code degraded}, {@code unhealthy} or {@code failed}
     * while it runs; {@code failed} when not running with an open circuit; {@code idle} otherwise.
     */
    public void health(Response response, Callback callback, String id) {
        Lookups.channel(streams.channels(), id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel_id", id);
        Optional<Stream> running = streams.find(id);
        if (running.isPresent()) {
            Stream s = running.get();
            Health h = s.health();
            body.put("status", h.status().name().toLowerCase(Locale.ROOT));
            body.put("reason", h.reason());
            body.put("current_fps", h.fps());
            body.put("current_speed", h.speed());
            body.put("current_bitrate_kbps", h.bitrateKbps());
            body.put("dropped_frames", h.droppedFrames());
            body.put("last_segment_at", h.lastSegmentAt().toString());
            body.put("sessions_active", s.viewers());
            body.put("circuit_state", s.circuitState().name().toLowerCase(Locale.ROOT));
        } else {
            CircuitState circuit = streams.circuitState(id);
            body.put("status", circuit == CircuitState.CLOSED ? "idle" : "failed");
            body.put("reason", streams.lastFailure(id).map(StreamManager.Failure::reason).orElse(null));
            body.put("current_fps", 0.0);
            body.put("current_speed", 0.0);
            body.put("current_bitrate_kbps", 0.0);
            body.put("dropped_frames", 0);
            body.put("last_segment_at", null);
            body.put("sessions_active", 0);
            body.put("circuit_state", circuit.name().toLowerCase(Locale.ROOT));
        }
        Http.json(response, callback, 200, body);
    }

    public void get(Request request, Response response, Callback callback, String id) {
        Channel c = Lookups.channel(streams.channels(), id);
        Http.json(response, callback, 200, ChannelView.of(c, streams, Http.baseUrl(request)));
    }
}
