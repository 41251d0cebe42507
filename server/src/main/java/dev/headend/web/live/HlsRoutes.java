package dev.headend.web.live;

import dev.headend.media.Segment;
import dev.headend.security.PlaybackSigner;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StartResult;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamState;
import dev.headend.stream.StreamUnavailableException;
import dev.headend.web.ApiException;
import dev.headend.web.ByteRange;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * HLS: {@code /live/{id}/index.m3u8} and {@code /live/{id}/{sequence}.ts}.
 *
 * <p>A playlist request without a session token the server issued for the channel (none, or a
 * made-up, foreign or outdated one) is a first request: it starts the channel (on demand), waits
 * (bounded) for its first segment and redirects to the same playlist with {@code ?s=TOKEN}, a
 * new token. It opens no session: the session opens, and counts as a viewer, with the first
 * request that carries the token, so nothing counts until a player follows the redirect.
 * Players keep that URL for reloads and the playlist writes the token into every segment URI,
 * so each player is one session without cookies. A request for a playlist waits (bounded) for
 * the first segment. Segments honour a single byte range, as a static file server does.
 * When playback is signed, the request's signature (checked before the route runs) is carried
 * into the redirect and every segment URI.
 */
public final class HlsRoutes implements RouteGroup {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final PlaybackLinks links;

    public HlsRoutes(StreamManager streams, SessionRegistry sessions, PlaybackLinks links) {
        this.streams = streams;
        this.sessions = sessions;
        this.links = links;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/live/{id}/index.m3u8", this::playlist),
                Route.get("/live/{id}/{sequence}.ts", this::segment));
    }

    private void playlist(Exchange ex) throws InterruptedException {
        String id = ex.param("id");
        Lookups.channel(streams.channels(), id);
        Optional<String> token = ex.query("s");
        if (token.isPresent() && !SessionRegistry.TOKEN.matcher(token.get()).matches()) {
            throw new ApiException(400, "invalid_session", "malformed session token; request index.m3u8 without ?s=");
        }
        Optional<ViewerSession> session = token.flatMap(t -> session(ex, id, t));
        if (session.isEmpty()) {
            firstRequest(ex, id);
            return;
        }
        LiveStream stream = session.get().stream();
        try {
            stream.awaitReady(streams.settings().startTimeout());
        } catch (StreamUnavailableException e) {
            if (!(stream.state() instanceof StreamState.Stopped && stream.store().hasSegment())) {
                throw Lookups.unavailableToViewer(id, e);
            }
        }
        String body = stream.store().playlistTemplate().render("?s=" + token.get() + signature(ex));
        ex.text(200, PLAYLIST_TYPE, "no-cache", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts the channel, waits for its first segment and redirects to the playlist with a new token. */
    private void firstRequest(Exchange ex, String id) throws InterruptedException {
        LiveStream stream = Lookups.start(streams, id).stream();
        try {
            stream.awaitReady(streams.settings().startTimeout());
        } catch (StreamUnavailableException e) {
            throw Lookups.unavailableToViewer(id, e);
        }
        ex.response().getHeaders().put(HttpHeader.LOCATION,
                "index.m3u8?s=" + sessions.issue(id) + signature(ex));
        ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        ex.empty(302);
    }

    private void segment(Exchange ex) {
        String id = ex.param("id");
        Lookups.channel(streams.channels(), id);
        long sequence = sequence(ex.param("sequence"));
        LiveStream stream = ex.query("s").filter(t -> SessionRegistry.TOKEN.matcher(t).matches())
                .flatMap(sessions::find)
                .filter(s -> s.stream().id().equals(id))
                .map(s -> {
                    sessions.touch(s);
                    return s.stream();
                })
                .orElseGet(() -> streams.find(id).orElseThrow(() -> new ApiException(404, "segment_not_found",
                        "channel " + id + " is not running")));
        Segment segment = stream.store().segment(sequence).orElseThrow(() -> new ApiException(404,
                "segment_not_found", "segment " + sequence + " of channel " + id + " is not available"));
        Segment.Fill fill = segment.fill();
        ex.response().getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        switch (ByteRange.of(ex.header(HttpHeader.RANGE), fill.size())) {
            case ByteRange.Whole w -> Http.bytes(ex.response(), ex.callback(), 200, ContinuousTsRoutes.TS_TYPE,
                    "max-age=60", ByteBuffer.wrap(fill.data(), 0, fill.size()), ex.head());
            case ByteRange.Part p -> {
                ByteRange r = p.range();
                ex.response().getHeaders().put(HttpHeader.CONTENT_RANGE, r.contentRange(fill.size()));
                Http.bytes(ex.response(), ex.callback(), 206, ContinuousTsRoutes.TS_TYPE, "max-age=60",
                        ByteBuffer.wrap(fill.data(), (int) r.first(), (int) r.length()), ex.head());
            }
            case ByteRange.Unsatisfiable u -> {
                ex.response().getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + fill.size());
                throw new ApiException(416, "range_not_satisfiable", "segment " + sequence + " has " + fill.size()
                        + " bytes; the requested range lies outside them");
            }
        }
    }

    /**
     * The session named by a well-formed token, opened when the server issued the token for this
     * channel and it has none (the redirected request, or a session that expired); empty for a
     * token the server did not issue for this channel (another channel's included). A session
     * whose stream failed or went away is moved to the channel's current stream.
     */
    private Optional<ViewerSession> session(Exchange ex, String id, String token) {
        ViewerSession s = sessions.find(token).filter(found -> found.stream().id().equals(id)).orElse(null);
        if (s == null) {
            if (!sessions.issued(token, id)) {
                return Optional.empty();
            }
            StartResult started = Lookups.start(streams, id);
            s = sessions.open(token, ViewerSession.Kind.HLS, started.stream(), ex.remoteAddress(),
                    ex.header(HttpHeader.USER_AGENT).orElse(null));
        } else if (s.stream().state() instanceof StreamState.Failed) {
            sessions.move(s, Lookups.start(streams, id).stream());
        }
        sessions.touch(s);
        return Optional.of(s);
    }

    /**
     * The request's signature as a query suffix when playback is signed, else empty. The guard
     * has checked it before the route ran, so it is digits and base64url only.
     */
    private String signature(Exchange ex) {
        if (!links.signed()) {
            return "";
        }
        return "&" + PlaybackSigner.EXPIRES + "=" + ex.query(PlaybackSigner.EXPIRES).orElseThrow()
                + "&" + PlaybackSigner.SIGNATURE + "=" + ex.query(PlaybackSigner.SIGNATURE).orElseThrow();
    }

    private static long sequence(String name) {
        if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(Character::isDigit)) {
            throw new ApiException(404, "segment_not_found", "no segment named '" + Http.printable(name) + ".ts'");
        }
        return Long.parseLong(name);
    }
}
