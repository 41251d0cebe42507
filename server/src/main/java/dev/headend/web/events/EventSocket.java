package dev.headend.web.events;

import dev.headend.events.EventFilter;
import dev.headend.events.EventSource;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/events}: the event feed over a WebSocket, one JSON text message per event (the
 * envelope), the snapshot and gaps as on the SSE feed ({@code {"type": "snapshot", ...}}, {@code
 * {"type": "gap", ...}}); {@code ?last_event_id=}, {@code ?channel_id=} and {@code ?types=} as
 * there. Admin access (Bearer token on the upgrade request). Incoming messages are ignored.
 * Each socket's feed runs on a virtual thread of its own; a send that the client does not take
 * within {@link #SEND_TIMEOUT} closes the socket.
 */
public final class EventSocket implements RouteGroup {
    private static final Logger log = LoggerFactory.getLogger(EventSocket.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EventFeed feed;
    private final EventSource source;

    public EventSocket(EventFeeds feeds) {
        this.feed = feeds.feed();
        this.source = feeds.source();
    }

    /** Gives the server the WebSocket container the route upgrades through. Before the server starts. */
    public static void install(Server server) {
        ServerWebSocketContainer.ensure(server);
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/ws/events", this::upgrade));
    }

    private void upgrade(Exchange ex) {
        EventFilter filter = EventRoutes.filter(ex);
        Optional<Long> resume = EventRoutes.lastEventId(ex, source);
        ServerWebSocketContainer container = ServerWebSocketContainer.get(ex.request().getContext());
        boolean upgraded = container != null && container.upgrade((request, response, callback) ->
                new Endpoint(filter, resume), ex.request(), ex.response(), ex.callback());
        if (!upgraded) {
            throw new ApiException(400, "websocket_required", "/ws/events is a WebSocket: send an upgrade request");
        }
    }

    /** One socket: its feed runs from open to close. Public: Jetty calls it through method handles. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final EventFilter filter;
        private final Optional<Long> resume;
        private volatile Thread worker;

        Endpoint(EventFilter filter, Optional<Long> resume) {
            this.filter = filter;
            this.resume = resume;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            worker = Thread.ofVirtual().name("ws-events").start(() -> run(session));
        }

        private void run(Session session) {
            try {
                feed.run(filter, resume, new FeedSink() {
                    @Override
                    public void send(String id, String type, String json) throws IOException {
                        await(Callback.Completable.with(c -> session.sendText(json, c)));
                    }

                    @Override
                    public void keepAlive() throws IOException {
                        await(Callback.Completable.with(c -> session.sendPing(ByteBuffer.allocate(0), c)));
                    }
                });
                session.close(1001, "server stopping", Callback.NOOP);
            } catch (IOException e) {
                log.debug("event socket closed: {}", e.toString());
                session.close(1011, "send failed", Callback.NOOP);
            } catch (InterruptedException e) {
                session.close(1001, "server stopping", Callback.NOOP);
            }
        }

        private static void await(Callback.Completable sent) throws IOException {
            try {
                sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("event socket send failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void onWebSocketClose(int status, String reason) {
            Thread w = worker;
            if (w != null) {
                w.interrupt();
            }
        }
    }
}
