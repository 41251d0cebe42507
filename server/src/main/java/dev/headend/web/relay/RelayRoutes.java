package dev.headend.web.relay;

import dev.headend.relay.Relay;
import dev.headend.session.SessionLimitException;
import dev.headend.session.SessionRegistry;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The relay's WebSocket endpoints. A request that is not a WebSocket upgrade gets 426 {@code
 * upgrade_required}; a stream id that could not be a channel id gets 400 {@code invalid_stream_id};
 * a viewer of a stream that has {@code max_sessions_per_channel} viewer sessions (or of every
 * stream, when {@code /ws/watch} viewers have as many) gets 429 {@code too_many_sessions} with
 * {@code Retry-After}; all before anything is upgraded. Access (tokens, loopback) is checked by
 * the router's guard.
 */
public final class RelayRoutes implements RouteGroup {
    private final Relay relay;
    private final SessionRegistry sessions;

    public RelayRoutes(Relay relay, SessionRegistry sessions) {
        this.relay = relay;
        this.sessions = sessions;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/ws/publish/{id}", ex -> upgrade(ex, () -> new PublisherSocket(relay, id(ex)))),
                Route.get("/ws/watch/{id}", ex -> upgrade(ex, () -> viewer(ex, Optional.of(id(ex))))),
                Route.get("/ws/watch", ex -> upgrade(ex, () -> viewer(ex, Optional.empty()))));
    }

    /** The endpoint of a new viewer, once the session limit admits it. */
    private ViewerSocket viewer(Exchange ex, Optional<String> streamId) {
        try {
            sessions.admit(streamId.orElse(SessionRegistry.ALL_STREAMS));
        } catch (SessionLimitException e) {
            throw new ApiException(429, "too_many_sessions", e.getMessage(), SessionLimitException.RETRY_AFTER_SECONDS);
        }
        return new ViewerSocket(relay, sessions, streamId, ex.remoteAddress(),
                ex.header(HttpHeader.USER_AGENT).orElse(null));
    }

    static String id(Exchange ex) {
        String id = ex.param("id");
        if (!Relay.STREAM_ID.matcher(id).matches()) {
            throw new ApiException(400, "invalid_stream_id", "a stream id is 1 to 64 characters of a-z, 0-9, _ and -,"
                    + " starting with a letter or digit");
        }
        return id;
    }

    private static void upgrade(Exchange ex, Supplier<Object> endpoint) {
        Object socket = endpoint.get();
        boolean upgrade = ex.header(HttpHeader.UPGRADE).filter("websocket"::equalsIgnoreCase).isPresent();
        if (!upgrade) {
            ex.response().getHeaders().put(HttpHeader.UPGRADE, "websocket");
            throw new ApiException(426, "upgrade_required", "this is a WebSocket endpoint: connect with a WebSocket"
                    + " client (ws://.../ws/...)");
        }
        ServerWebSocketContainer container = ServerWebSocketContainer.get(ex.request().getContext());
        try {
            if (!container.upgrade((request, response, callback) -> socket, ex.request(), ex.response(),
                    ex.callback())) {
                throw new ApiException(400, "bad_upgrade", "the WebSocket upgrade request is not valid");
            }
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw new ApiException(400, "bad_upgrade", "the WebSocket upgrade request is not valid");
        }
    }
}
