package dev.headend.web.live;

import dev.headend.channel.ThrottleMode;
import dev.headend.channel.ThrottleSettings;
import dev.headend.media.TsChunk;
import dev.headend.media.TsCursor;
import dev.headend.session.SessionLimitException;
import dev.headend.session.SessionRegistry;
import dev.headend.session.SessionState;
import dev.headend.session.ViewerSession;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamUnavailableException;
import dev.headend.time.TimeSource;
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
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Continuous MPEG-TS: {@code /live/{id}.ts}. Each viewer has its own cursor over the stream's
 * shared segment buffer and its own (virtual) thread doing blocking writes, so a slow or frozen
 * viewer only delays itself; one that falls behind the retained segments jumps to the live
 * point (counted in its session). Each viewer is paced by its own {@link TsPacer} in the
 * channel's throttle mode (else the server's): realtime and disabled viewers start at the newest
 * keyframe-aligned point, burst and adaptive ones at a keyframe {@link TsPacer#INITIAL_BUFFER}
 * back, which they receive as fast as they read (a player built on FFmpeg decodes only once it
 * has 5 s of the stream). Each connection is one viewer
 * session (429 when the channel is full); ending the session (a kick, the idle timeout) closes
 * the connection at once. HEAD starts the channel like GET
 * and answers its headers once it produces, without a session or a body.
 */
public final class ContinuousTsRoutes implements RouteGroup {
    static final String TS_TYPE = "video/mp2t";
    private static final Duration POLL = Duration.ofSeconds(5);
    /**
     * A viewer connection on which a write makes no progress for this long is closed: a viewer
     * that vanished without a reset (unplugged, asleep) ends within it. One that closed its
     * connection ends at the next write, within a segment.
     */
    static final Duration GHOST = Duration.ofSeconds(10);

    /** The most written at once: a paced viewer's writes stay small enough to follow its pace closely. */
    private static final int MAX_WRITE = 64 * 1024;
    /** A paced writer waits at most this long before it checks its session again. */
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(100);

    private final StreamManager streams;
    private final SessionRegistry sessions;
    /** The server-wide defaults; replaced whole when the settings change, read once per viewer. */
    private volatile Defaults defaults;
    private final TimeSource time;
    private final PeerRelay peers;

    public ContinuousTsRoutes(StreamManager streams, SessionRegistry sessions, ThrottleSettings throttle,
            boolean startSlate, TimeSource time) {
        this(streams, sessions, throttle, startSlate, time, PeerRelay.SINGLE_NODE);
    }

    /**
     * @param startSlate whether a viewer of a channel that cannot start gets the slate while it is
     *     retried, rather than a 503 (a channel's own {@code ts_start_slate} overrides it)
     * @param peers serves the channels other cluster nodes own
     */
    public ContinuousTsRoutes(StreamManager streams, SessionRegistry sessions, ThrottleSettings throttle,
            boolean startSlate, TimeSource time, PeerRelay peers) {
        this.peers = peers;
        this.streams = streams;
        this.sessions = sessions;
        this.defaults = new Defaults(throttle, startSlate);
        this.time = time;
    }

    /** The server-wide throttle and start-slate defaults, for the viewers that connect from now on. */
    private record Defaults(ThrottleSettings throttle, boolean startSlate) {}

    /** Viewers that connect from now on are paced by {@code throttle} and get the slate as {@code startSlate} says. */
    public void settings(ThrottleSettings throttle, boolean startSlate) {
        defaults = new Defaults(throttle, startSlate);
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/live/{id}.ts", ex -> serve(ex, ex.param("id"))));
    }

    /** Answers {@code ex} with the continuous TS of channel {@code channelId} (also for the IPTV outputs' paths). */
    public void serve(Exchange ex, String channelId) throws InterruptedException {
        if (peers.ts(ex, channelId)) {
            return;
        }
        if (!ex.head()) {
            try {
                sessions.admit(channelId);
            } catch (SessionLimitException e) {
                throw Lookups.full(e);
            }
        }
        LiveStream stream = Lookups.start(streams, channelId).stream();
        if (ex.head()) {
            awaitReady(stream);
            ex.response().setStatus(200);
            headers(ex.response());
            ex.response().write(true, ByteBuffer.allocate(0), ex.callback());
            return;
        }
        ViewerSession session;
        try {
            session = sessions.open(sessions.issue(stream.id()), ViewerSession.Kind.TS, stream, ex.remoteAddress(),
                    ex.header(HttpHeader.USER_AGENT).orElse(null));
        } catch (SessionLimitException e) {
            throw Lookups.full(e); // another viewer took the last place since the check above
        }
        EndPoint connection = ex.request().getConnectionMetaData().getConnection().getEndPoint();
        connection.setIdleTimeout(GHOST.toMillis());
        session.onDisconnect(reason -> connection.close());
        try {
            boolean slate = stream.channel().tsStartSlate().orElse(defaults.startSlate());
            if (slate) {
                // the answer starts now: the slate (saying what is wrong) until the picture comes
                stream.coverStartWithSlate();
            }
            if (!slate || stream.terminal()) {
                awaitReady(stream);
            }
            ex.response().setStatus(200);
            headers(ex.response());
            pump(session, ex.response(), ex.callback());
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

    /** Writes the stream to the viewer until it ends, the viewer goes away or the session is ended. */
    private void pump(ViewerSession session, Response response, Callback callback) throws InterruptedException {
        LiveStream stream = session.stream();
        ThrottleSettings throttle = defaults.throttle();
        ThrottleMode mode = stream.channel().throttle().orElse(throttle.mode());
        TsPacer pacer = new TsPacer(mode, time.now());
        TsCursor cursor = stream.store().liveCursor(
                mode == ThrottleMode.BURST || mode == ThrottleMode.ADAPTIVE ? TsPacer.INITIAL_BUFFER : Duration.ZERO);
        long skips = 0;
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            while (session.state() != SessionState.DISCONNECTED) {
                TsChunk chunk = stream.store().read(cursor, Duration.ZERO);
                if (chunk instanceof TsChunk.Pending) {
                    pacer.caughtUp(time.now());
                    chunk = stream.store().read(cursor, POLL);
                }
                for (; skips < cursor.skips(); skips++) {
                    sessions.skipped(session);
                }
                switch (chunk) {
                    case TsChunk.Data d -> {
                        pacer.rate(throttle.bytesPerSecond(stream.store().bytesPerSecond(cursor.sequence())),
                                time.now());
                        write(session, pacer, out, d);
                    }
                    case TsChunk.Pending p -> out.flush();
                    case TsChunk.End e -> {
                        out.close();
                        callback.succeeded();
                        return;
                    }
                }
            }
            callback.failed(new IOException("session " + session.id() + " ended"));
        } catch (IOException e) {
            callback.failed(e);
        }
    }

    /** Writes one chunk as fast as the pacer allows, in writes of at most {@link #MAX_WRITE}. */
    private void write(ViewerSession session, TsPacer pacer, OutputStream out, TsChunk.Data d)
            throws IOException, InterruptedException {
        int offset = d.offset();
        int end = d.offset() + d.length();
        while (offset < end && session.state() != SessionState.DISCONNECTED) {
            int least = Math.min(end - offset, TsPacer.MIN_WRITE);
            long allowed = pacer.allowance(time.now());
            if (allowed < least) {
                Duration wait = pacer.untilAllowed(least, time.now());
                Thread.sleep(wait.compareTo(LONGEST_PAUSE) < 0 ? wait : LONGEST_PAUSE);
                continue;
            }
            int n = (int) Math.min(Math.min(end - offset, MAX_WRITE), allowed);
            out.write(d.data(), offset, n);
            offset += n;
            pacer.sent(n, time.now());
            sessions.delivered(session, n);
        }
    }
}
