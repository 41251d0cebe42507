package dev.headend.web.live;

import dev.headend.media.Segment;
import dev.headend.security.PlaybackSigner;
import dev.headend.session.SessionEndedException;
import dev.headend.session.SessionLimitException;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.LiveStream;
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
 * so each player is one session without cookies. Only segment GETs keep a session alive; a
 * segment of a session that is not available counts as an error of the session. A new viewer of
 * a channel at its session limit gets 429 before anything starts; a token whose session an
 * operator ended gets 403 {@code session_ended}. A request for a playlist waits (bounded) for
 * the first segment. Segments honour a single byte range, as a static file server does.
 * When playback is signed, the request's signature (checked before the route runs) is carried
 * into the redirect and every segment URI.
 *
 * <p>The segment route is the hottest path of the server and runs on the I/O thread that read
 * the request ({@link Route.Threading#NON_BLOCKING}): it only looks up memory, takes the
 * session registry's brief locks and queues events, and writes asynchronously.
 */
public final class HlsRoutes implements RouteGroup {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final PlaybackLinks links;
    private final PeerRelay peers;

    public HlsRoutes(StreamManager streams, SessionRegistry sessions, PlaybackLinks links) {
        this(streams, sessions, links, PeerRelay.SINGLE_NODE);
    }

    /** @param peers serves the channels other cluster nodes own */
    public HlsRoutes(StreamManager streams, SessionRegistry sessions, PlaybackLinks links, PeerRelay peers) {
        this.streams = streams;
        this.sessions = sessions;
        this.links = links;
        this.peers = peers;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/live/{id}/index.m3u8", this::playlist),
                Route.nonBlockingGet("/live/{id}/{sequence}.ts", this::segment));
    }

    private void playlist(Exchange ex) throws InterruptedException {
        String id = ex.param("id");
        Lookups.channel(streams, id);
        if (peers.playlist(ex, id)) {
            return;
        }
        Optional<String> token = ex.query("s");
        if (token.isPresent() && !SessionRegistry.TOKEN.matcher(token.get()).matches()) {
            throw new ApiException(400, "invalid_session", "malformed session token; request index.m3u8 without ?s=");
        }
        refuseKicked(token);
        Optional<LiveStream> found = token.flatMap(t -> stream(ex, id, t));
        if (found.isEmpty()) {
            firstRequest(ex, id);
            return;
        }
        LiveStream stream = found.get();
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
        admit(id);
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
        if (peers.segment(ex, id, sequence)) {
            return;
        }
        Optional<String> token = ex.query("s").filter(t -> SessionRegistry.TOKEN.matcher(t).matches());
        refuseKicked(token);
        Optional<ViewerSession> found = token.flatMap(sessions::find).filter(s -> s.channelId().equals(id));
        LiveStream stream = found.flatMap(ViewerSession::live)
                .orElseGet(() -> streams.find(id).orElseThrow(() -> new ApiException(404, "segment_not_found",
                        "channel " + id + " is not running")));
        // a player back from a pause: its segment request reopens its session
        Optional<ViewerSession> session = found.isPresent() || ex.head() ? found
                : token.filter(t -> sessions.dormant(t) && sessions.issued(t, id)).map(t -> open(ex, t, stream, false));
        Segment segment = stream.store().segment(sequence).orElseThrow(() -> {
            session.ifPresent(sessions::failed);
            return new ApiException(404, "segment_not_found", "segment " + sequence + " of channel " + id
                    + " is not available");
        });
        Segment.Fill fill = segment.fill();
        ex.response().getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        long sent = switch (ByteRange.of(ex.header(HttpHeader.RANGE), fill.size())) {
            case ByteRange.Whole w -> {
                Http.bytes(ex.response(), ex.callback(), 200, ContinuousTsRoutes.TS_TYPE, "max-age=60",
                        ByteBuffer.wrap(fill.data(), 0, fill.size()), ex.head());
                yield fill.size();
            }
            case ByteRange.Part p -> {
                ByteRange r = p.range();
                ex.response().getHeaders().put(HttpHeader.CONTENT_RANGE, r.contentRange(fill.size()));
                Http.bytes(ex.response(), ex.callback(), 206, ContinuousTsRoutes.TS_TYPE, "max-age=60",
                        ByteBuffer.wrap(fill.data(), (int) r.first(), (int) r.length()), ex.head());
                yield r.length();
            }
            case ByteRange.Unsatisfiable u -> {
                ex.response().getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + fill.size());
                throw new ApiException(416, "range_not_satisfiable", "segment " + sequence + " has " + fill.size()
                        + " bytes; the requested range lies outside them");
            }
        };
        // a segment GET is what keeps an HLS session alive (a HEAD or a playlist poll is not media)
        session.filter(s -> !ex.head()).ifPresent(s -> sessions.delivered(s, sent));
    }

    /** A token whose session an operator ended no longer works, for playlists and segments alike. */
    private void refuseKicked(Optional<String> token) {
        if (token.isPresent() && sessions.kicked(token.get())) {
            throw Lookups.ended(new SessionEndedException());
        }
    }

    /**
     * The stream a playlist request with a well-formed token reads: its session's, the session
     * opened when the server issued the token for this channel and it has none (the redirected
     * request, or a player back after a pause); empty for a token the server did not issue for
     * this channel (another channel's included). A session whose stream failed is moved to the
     * channel's current stream. A token whose session ended for want of segment requests (a
     * paused player that keeps polling) reads the running stream without a session, so polls
     * alone never hold the channel open; once the channel stopped it is 410 {@code
     * session_expired}.
     */
    private Optional<LiveStream> stream(Exchange ex, String id, String token) {
        ViewerSession s = sessions.find(token).filter(found -> found.channelId().equals(id)).orElse(null);
        if (s != null) {
            // a session relayed from another node while it ran the channel watches no stream here
            if (s.live().isEmpty() || s.stream().state() instanceof StreamState.Failed) {
                sessions.move(s, Lookups.start(streams, id).stream());
            }
            return Optional.of(s.stream());
        }
        if (!sessions.issued(token, id)) {
            return Optional.empty();
        }
        if (sessions.dormant(token)) {
            return Optional.of(streams.find(id).filter(st -> !st.terminal()).orElseThrow(() -> new ApiException(410,
                    "session_expired", "this player requested no segment for a while and channel " + id
                            + " stopped; request index.m3u8 without ?s= to watch again")));
        }
        admit(id);
        return Optional.of(open(ex, token, Lookups.start(streams, id).stream(), true).stream());
    }

    /**
     * Opens the HLS session of an issued token on {@code stream}, translating refusals to API
     * errors; {@code counted}: a new viewer, checked against the cluster's count (not on an I/O thread).
     */
    private ViewerSession open(Exchange ex, String token, LiveStream stream, boolean counted) {
        try {
            String userAgent = ex.header(HttpHeader.USER_AGENT).orElse(null);
            return counted ? sessions.open(token, ViewerSession.Kind.HLS, stream, ex.remoteAddress(), userAgent)
                    : sessions.reopen(token, ViewerSession.Kind.HLS, stream, ex.remoteAddress(), userAgent);
        } catch (SessionLimitException e) {
            throw Lookups.full(e);
        } catch (SessionEndedException e) {
            throw Lookups.ended(e);
        }
    }

    /** Refuses a new viewer of a full channel (429) before anything starts. */
    private void admit(String id) {
        try {
            sessions.admit(id);
        } catch (SessionLimitException e) {
            throw Lookups.full(e);
        }
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
