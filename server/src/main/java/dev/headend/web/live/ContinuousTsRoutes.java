package dev.headend.web.live;

import dev.headend.media.TsChunk;
import dev.headend.media.TsCursor;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamUnavailableException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Continuous MPEG-TS: {@code /live/{id}.ts}. Each viewer has its own cursor over the stream's
 * shared segment buffer and its own (virtual) thread doing blocking writes, so a slow or frozen
 * viewer only delays itself; one that falls behind the retained segments jumps to the live
 * point. A viewer starts at the newest keyframe-aligned point. HEAD starts the channel like GET
 * and answers its headers once it produces, without a session or a body.
 */
public final class ContinuousTsRoutes implements RouteGroup {
    static final String TS_TYPE = "video/mp2t";
    private static final Duration POLL = Duration.ofSeconds(5);

    private final StreamManager streams;
    private final SessionRegistry sessions;

    public ContinuousTsRoutes(StreamManager streams, SessionRegistry sessions) {
        this.streams = streams;
        this.sessions = sessions;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/live/{id}.ts", ex -> serve(ex, ex.param("id"))));
    }

    /** Answers {@code ex} with the continuous TS of channel {@code channelId} (also for the IPTV outputs' paths). */
    public void serve(Exchange ex, String channelId) throws InterruptedException {
        LiveStream stream = Lookups.start(streams, channelId).stream();
        if (ex.head()) {
            awaitReady(stream);
            ex.response().setStatus(200);
            headers(ex.response());
            ex.response().write(true, ByteBuffer.allocate(0), ex.callback());
            return;
        }
        ViewerSession session = sessions.open(sessions.issue(stream.id()), ViewerSession.Kind.TS, stream,
                ex.remoteAddress(), ex.header(HttpHeader.USER_AGENT).orElse(null));
        try {
            awaitReady(stream);
            ex.response().setStatus(200);
            headers(ex.response());
            pump(stream, ex.response(), ex.callback());
        } finally {
            sessions.close(session);
        }
    }

    private void awaitReady(LiveStream stream) throws InterruptedException {
        try {
            stream.awaitReady(streams.settings().startTimeout());
        } catch (StreamUnavailableException e) {
            throw Lookups.unavailableToViewer(stream.id(), e);
        }
    }

    private static void headers(Response response) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TS_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    private static void pump(LiveStream stream, Response response, Callback callback) throws InterruptedException {
        TsCursor cursor = stream.store().liveCursor();
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            while (true) {
                TsChunk chunk = stream.store().read(cursor, POLL);
                switch (chunk) {
                    case TsChunk.Data d -> out.write(d.data(), d.offset(), d.length());
                    case TsChunk.Pending p -> out.flush();
                    case TsChunk.End e -> {
                        out.close();
                        callback.succeeded();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            callback.failed(e);
        }
    }
}
