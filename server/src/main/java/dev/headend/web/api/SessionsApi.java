package dev.headend.web.api;

import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.StreamManager;
import dev.headend.time.TimeSource;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.Lookups;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /api/sessions}: who watches what, over which protocol, and ending one viewer's session
 * ({@code DELETE}: an open TS or WebSocket connection is closed at once, an HLS token stops
 * working).
 */
public final class SessionsApi implements RouteGroup {
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final TimeSource time;

    public SessionsApi(StreamManager streams, SessionRegistry sessions, TimeSource time) {
        this.streams = streams;
        this.sessions = sessions;
        this.time = time;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/sessions", ex -> list(ex, ex.query("channel_id"))),
                Route.get("/api/channels/{id}/sessions", ex -> list(ex, Optional.of(ex.param("id")))),
                Route.delete("/api/sessions/{id}", this::end));
    }

    private void list(Exchange ex, Optional<String> channelId) {
        // a relay stream's viewers are listed by its id even when no channel has it
        channelId.filter(id -> sessions.count(id) == 0).ifPresent(id -> Lookups.channel(streams.channels(), id));
        List<SessionView> views = sessions.all().stream()
                .filter(s -> channelId.isEmpty() || s.channelId().equals(channelId.get()))
                .sorted(Comparator.comparing(ViewerSession::openedAt))
                .map(s -> SessionView.of(s, time))
                .toList();
        Map<String, Integer> byChannel = new TreeMap<>();
        views.forEach(v -> byChannel.merge(v.channelId(), 1, Integer::sum));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_sessions", views.size());
        body.put("sessions_by_channel", byChannel);
        body.put("average_duration_seconds", views.isEmpty() ? 0.0
                : Math.round(views.stream().mapToDouble(SessionView::durationSeconds).average().orElse(0) * 10) / 10.0);
        body.put("total_bytes_sent", views.stream().mapToLong(SessionView::bytesSent).sum());
        body.put("sessions", views);
        ex.json(200, body);
    }

    private void end(Exchange ex) {
        String id = ex.param("id");
        if (!SessionRegistry.ID.matcher(id).matches()) {
            throw new ApiException(400, "invalid_session_id", "invalid session id '" + Http.printable(id)
                    + "': session ids are 16 base64url characters, as GET /api/sessions lists them");
        }
        ViewerSession s = sessions.kick(id).orElseThrow(() -> new ApiException(404, "session_not_found",
                "no session with id '" + id + "' (it may have ended already)"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("session", SessionView.of(s, time));
        ex.json(200, body);
    }
}
