package dev.headend.delivery;

import dev.headend.api.ApiException;
import dev.headend.api.Http;
import dev.headend.api.Lookups;
import dev.headend.media.Segment;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.StartResult;
import dev.headend.stream.Stream;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamState;
import dev.headend.stream.StreamUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * HLS: {@code /live/{id}/index.m3u8} and {@code /live/{id}/{seq}.ts}.
 *
 * <p>A playlist request without a session token starts the channel (on demand), opens a session
 * and redirects to the same playlist with {@code ?s=TOKEN}; players keep that URL for reloads
 * and the playlist writes the token into every segment URI, so each player is one session
 * without cookies. A request for a playlist waits (bounded) for the first segment.
 */
public final class HlsDelivery {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String TS_TYPE = "video/mp2t";

    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final Duration startTimeout;

    public HlsDelivery(StreamManager streams, SessionRegistry sessions, Duration startTimeout) {
        this.streams = streams;
        this.sessions = sessions;
        this.startTimeout = startTimeout;
    }

    public void playlist(Request request, Response response, Callback callback, String id) throws InterruptedException {
        Lookups.channel(streams.channels(), id);
        String token = Http.query(request, "s");
        if (token == null) {
            StartResult started = Lookups.start(streams, id);
            ViewerSession s = sessions.open(SessionRegistry.newToken(), ViewerSession.Kind.HLS, started.stream(),
                    Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.USER_AGENT));
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, "index.m3u8?s=" + s.token());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            response.write(true, ByteBuffer.allocate(0), callback);
            return;
        }
        ViewerSession session = session(request, id, token);
        Stream stream = session.stream();
        try {
            stream.awaitReady(startTimeout);
        } catch (StreamUnavailableException e) {
            if (!(stream.state() instanceof StreamState.Stopped && stream.store().hasSegment())) {
                throw Lookups.unavailable(e);
            }
        }
        String body = stream.store().playlistTemplate().render("?s=" + token);
        Http.text(response, callback, 200, PLAYLIST_TYPE, "no-cache", body.getBytes(StandardCharsets.UTF_8));
    }

    public void segment(Request request, Response response, Callback callback, String id, String name) {
        Lookups.channel(streams.channels(), id);
        long sequence = sequence(name);
        String token = Http.query(request, "s");
        Stream stream = null;
        if (token != null && SessionRegistry.TOKEN.matcher(token).matches()) {
            ViewerSession s = sessions.find(token).orElse(null);
            if (s != null && s.stream().id().equals(id)) {
                sessions.touch(s);
                stream = s.stream();
            }
        }
        if (stream == null) {
            stream = streams.find(id).orElseThrow(() -> new ApiException(404, "segment_not_found",
                    "channel " + id + " is not running"));
        }
        Segment segment = stream.store().segment(sequence).orElseThrow(() -> new ApiException(404,
                "segment_not_found", "segment " + sequence + " of channel " + id + " is not available"));
        Segment.Fill fill = segment.fill();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TS_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, fill.size());
        response.write(true, ByteBuffer.wrap(fill.data(), 0, fill.size()), callback);
    }

    /**
     * The session named by the token. An unknown but well-formed token (expired, or issued
     * before a server restart) is adopted as a new session; a session whose stream failed or
     * went away is moved to the channel's current stream.
     */
    private ViewerSession session(Request request, String id, String token) {
        if (!SessionRegistry.TOKEN.matcher(token).matches()) {
            throw new ApiException(400, "invalid_session", "malformed session token; request index.m3u8 without ?s=");
        }
        ViewerSession s = sessions.find(token).orElse(null);
        if (s != null && !s.stream().id().equals(id)) {
            throw new ApiException(400, "invalid_session", "session token belongs to another channel");
        }
        if (s == null) {
            StartResult started = Lookups.start(streams, id);
            s = sessions.open(token, ViewerSession.Kind.HLS, started.stream(), Request.getRemoteAddr(request),
                    request.getHeaders().get(HttpHeader.USER_AGENT));
        } else if (s.stream().state() instanceof StreamState.Failed) {
            sessions.move(s, Lookups.start(streams, id).stream());
        }
        sessions.touch(s);
        return s;
    }

    private static long sequence(String name) {
        if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(Character::isDigit)) {
            throw new ApiException(404, "segment_not_found", "no segment named '" + name.replaceAll("[^ -~]", "?")
                    + ".ts'");
        }
        return Long.parseLong(name);
    }
}
