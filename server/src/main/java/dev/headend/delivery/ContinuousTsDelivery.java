package dev.headend.delivery;

import dev.headend.api.Lookups;
import dev.headend.media.TsChunk;
import dev.headend.media.TsCursor;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.Stream;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Continuous MPEG-TS: {@code /live/{id}.ts}. Each viewer has its own cursor over the stream's
 * shared segment buffer and its own (virtual) thread doing blocking writes, so a slow or frozen
 * viewer only delays itself; one that falls behind the retained segments jumps to the live
 * point. A viewer starts at the newest keyframe-aligned point.
 */
public final class ContinuousTsDelivery {
    private static final Duration POLL = Duration.ofSeconds(5);

    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final Duration startTimeout;

    public ContinuousTsDelivery(StreamManager streams, SessionRegistry sessions, Duration startTimeout) {
        this.streams = streams;
        this.sessions = sessions;
        this.startTimeout = startTimeout;
    }

    public void serve(Request request, Response response, Callback callback, String id) throws InterruptedException {
        Stream stream = Lookups.start(streams, id).stream();
        ViewerSession session = sessions.open(SessionRegistry.newToken(), ViewerSession.Kind.TS, stream,
                Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.USER_AGENT));
        try {
            try {
                stream.awaitReady(startTimeout);
            } catch (StreamUnavailableException e) {
                throw Lookups.unavailable(e);
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, HlsDelivery.TS_TYPE);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            pump(stream, response, callback);
        } finally {
            sessions.close(session);
        }
    }

    private static void pump(Stream stream, Response response, Callback callback) throws InterruptedException {
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
