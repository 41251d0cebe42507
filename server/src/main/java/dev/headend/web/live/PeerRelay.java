package dev.headend.web.live;

import dev.headend.cluster.ClusterNode;
import dev.headend.cluster.PeerClient;
import dev.headend.cluster.PlaylistHold;
import dev.headend.cluster.Route;
import dev.headend.session.SessionEndedException;
import dev.headend.session.SessionLimitException;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.LiveStream;
import dev.headend.stream.NotOwnerException;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamUnavailableException;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * Playback of channels another cluster node owns: each playback route asks here first, and goes
 * on as on a single server when this answers {@code false}. On a single server it always does.
 *
 * <p>A viewer's request for a channel another node owns (or that placement gives to another
 * node, which then starts it) is relayed from that node: the playlist (its segment URIs are
 * relative, so they point at this node as they are), the segments (through the peer client's
 * cache, so each crosses between the nodes once) and the continuous TS (piped through); with
 * {@code cluster_redirect}, it gets a 307 to that node instead. A request that comes from another
 * node (it carries the cluster secret) is never relayed again: the owner serves the playlist
 * without a session, and a node that does not own the channel answers 503 {@code not_owner}, so
 * the relaying node asks again. A node that does not hold a channel's lease serves no segment of
 * it from its own store. While Redis cannot be reached, channels this node does not hold answer
 * 503 {@code cluster_unavailable}. A relayed answer names the node it came from in {@link
 * ClusterNode#RELAYED_FROM_HEADER}.
 *
 * <p>A relayed HLS viewer is a session of this node, where it is connected, counted like any
 * other (so the limit and the counts are the cluster's, see {@link SessionRegistry}): it is
 * redirected on its first playlist request to the same playlist with {@code ?s=TOKEN} (once the
 * owner answered it), its session opens with the first request carrying the token and the token
 * is written into the relayed playlist's segment URIs, whose requests keep the session alive.
 * The owner serves the relaying node's playlist and segment requests without a session of its
 * own (the viewer counts once) and keeps the channel on for it. A relayed continuous-TS
 * connection is a session of the owner (its remote address the relaying node's): the owner admits
 * or refuses it, and a kick there ends the relayed connection.
 */
public final class PeerRelay {
    /** A single server: every request is served here. */
    public static final PeerRelay SINGLE_NODE = new PeerRelay(Optional.empty(), null, null, null, null);

    private final Optional<ClusterNode> node;
    private final PeerClient peers;
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final PlaylistHold hold;

    /** @param hold the last playlists relayed, answered again while their owner cannot be reached */
    public PeerRelay(Optional<ClusterNode> node, PeerClient peers, StreamManager streams, SessionRegistry sessions,
            PlaylistHold hold) {
        this.node = node;
        this.peers = peers;
        this.streams = streams;
        this.sessions = sessions;
        this.hold = hold;
    }

    /** Answers a playlist request when another node serves it (or it comes from one); false: serve it here. */
    boolean playlist(Exchange ex, String id) throws InterruptedException {
        if (node.isEmpty()) {
            return false;
        }
        boolean peer = fromPeer(ex);
        switch (node.get().route(id, !peer)) {
            case Route.Local l -> {
                if (!peer) {
                    return false;
                }
                LiveStream stream;
                try {
                    stream = Lookups.startHere(streams, id).stream();
                } catch (NotOwnerException e) {
                    throw notOwner(id); // another node took the channel since the route was decided
                }
                stream.watched(); // the relaying node's viewers have no session here: keep the channel on
                try {
                    stream.awaitReady(streams.settings().startTimeout());
                } catch (StreamUnavailableException e) {
                    throw Lookups.unavailableToViewer(id, e);
                }
                ex.text(200, HlsRoutes.PLAYLIST_TYPE, "no-cache",
                        stream.store().playlistTemplate().render("").getBytes(StandardCharsets.UTF_8));
            }
            case Route.Remote r -> {
                refusePeer(peer, id);
                if (!redirected(ex, r)) {
                    relayPlaylist(ex, id, r);
                }
            }
            case Route.Unavailable u -> throw unavailable(u);
        }
        return true;
    }

    /**
     * Relays the owner's playlist to a viewer of this node: a first request (no token this node
     * issued for the channel) is admitted, then redirected with a new token once the owner
     * answered; a request with the token opens its session (unless it has one, or its token is
     * dormant: a paused player's polls open nothing) and gets the playlist with the token in its
     * segment URIs.
     */
    private void relayPlaylist(Exchange ex, String id, Route.Remote r) throws InterruptedException {
        Optional<String> token = ex.query("s");
        if (token.isPresent() && !SessionRegistry.TOKEN.matcher(token.get()).matches()) {
            throw new ApiException(400, "invalid_session", "malformed session token; request index.m3u8 without ?s=");
        }
        refuseKicked(token);
        Optional<String> issued = token.filter(t -> sessions.issued(t, id));
        if (issued.isEmpty()) {
            admit(id);
        } else if (sessions.find(issued.get()).isEmpty() && !sessions.dormant(issued.get())) {
            openRelayed(ex, issued.get(), id, ViewerSession.Kind.HLS);
        }
        Relayed relayed = playlistFrom(id, r);
        PeerClient.Answer a = relayed.answer();
        ex.response().getHeaders().put(ClusterNode.RELAYED_FROM_HEADER, relayed.node());
        if (a.status() != 200) {
            ex.text(a.status(), a.contentType(), "no-cache", a.body());
        } else if (issued.isEmpty()) {
            ex.response().getHeaders().put(HttpHeader.LOCATION, "index.m3u8?s=" + sessions.issue(id));
            ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            ex.empty(302);
        } else {
            ex.text(200, a.contentType(), "no-cache", withToken(a.body(), issued.get()));
        }
    }

    /** A playlist relayed from a node. */
    private record Relayed(PeerClient.Answer answer, String node) {}

    /**
     * The owner's playlist. When the owner cannot be reached or answers 5xx (it died and its lease
     * has not run out yet, or the node taking over is starting the channel), the playlist last
     * relayed for the channel within its hold: the viewer's player waits instead of counting errors.
     */
    private Relayed playlistFrom(String id, Route.Remote r) throws InterruptedException {
        PeerClient.Answer a;
        try {
            a = relay(() -> peers.playlist(r.url(), id), r);
        } catch (ApiException unreachable) {
            PlaylistHold.Held held = hold.recent(id).orElseThrow(() -> unreachable);
            return new Relayed(held.answer(), held.node());
        }
        Optional<PlaylistHold.Held> held = a.status() >= 500 ? hold.recent(id) : Optional.empty();
        if (held.isPresent()) {
            return new Relayed(held.get().answer(), held.get().node());
        }
        hold.keep(id, a, r.node());
        return new Relayed(a, r.node());
    }

    /** The owner's playlist (segment URIs without a query) with {@code ?s=token} on every segment URI. */
    static byte[] withToken(byte[] playlist, String token) {
        StringBuilder out = new StringBuilder(playlist.length + 64);
        for (String line : new String(playlist, StandardCharsets.UTF_8).split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line);
            if (!line.isBlank() && !line.startsWith("#")) {
                out.append("?s=").append(token);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void admit(String id) {
        try {
            sessions.admit(id);
        } catch (SessionLimitException e) {
            throw Lookups.full(e);
        }
    }

    private ViewerSession openRelayed(Exchange ex, String token, String id, ViewerSession.Kind kind) {
        try {
            return sessions.openRelayed(token, kind, id, ex.remoteAddress(),
                    ex.header(HttpHeader.USER_AGENT).orElse(null));
        } catch (SessionLimitException e) {
            throw Lookups.full(e);
        } catch (SessionEndedException e) {
            throw Lookups.ended(e);
        }
    }

    private void refuseKicked(Optional<String> token) {
        if (token.isPresent() && sessions.kicked(token.get())) {
            throw Lookups.ended(new SessionEndedException());
        }
    }

    /**
     * Answers a segment request when this node does not hold the channel's lease; false: serve it
     * here. Runs on the I/O thread that read the request (the segment route never blocks): the
     * answer for a channel held here is decided in memory; any other is made on a virtual thread
     * of its own, as it asks Redis and the owner.
     */
    boolean segment(Exchange ex, String id, long sequence) {
        if (node.isEmpty()) {
            return false;
        }
        boolean peer = fromPeer(ex);
        Optional<Route.Remote> earlier = node.get().earlierOwner(id, sequence); // after a drain's hand-over
        if (earlier.isEmpty() && node.get().servesSegments(id)) {
            if (peer) {
                streams.find(id).ifPresent(LiveStream::watched);
            }
            return false;
        }
        Thread.ofVirtual().name("relay-segment-" + id).start(() -> {
            try {
                relaySegment(ex, id, sequence, peer, earlier);
            } catch (ApiException e) {
                Http.error(ex.response(), ex.callback(), e);
            } catch (RuntimeException e) {
                ex.callback().failed(e);
            }
        });
        return true;
    }

    private void relaySegment(Exchange ex, String id, long sequence, boolean peer, Optional<Route.Remote> earlier) {
        Route route = earlier.<Route>map(r -> r).orElseGet(() -> node.orElseThrow().route(id, false));
        if (route instanceof Route.Local) {
            // this node may have just taken the channel over (a drain's hand-over): older segments are the giver's
            route = node.orElseThrow().earlierOwner(id, sequence).<Route>map(r -> r).orElse(route);
        }
        switch (route) {
            case Route.Local l -> throw new ApiException(404, "segment_not_found", "channel " + id
                    + " is not running");
            case Route.Remote r -> {
                refusePeer(peer, id);
                if (redirected(ex, r)) {
                    return;
                }
                relayedFrom(ex, r);
                Optional<String> token = ex.query("s").filter(t -> SessionRegistry.TOKEN.matcher(t).matches());
                refuseKicked(token);
                // a player back from a pause: its segment request reopens its session
                Optional<ViewerSession> session = token.flatMap(sessions::find)
                        .filter(s -> s.channelId().equals(id))
                        .or(() -> token.filter(t -> !ex.head() && sessions.dormant(t) && sessions.issued(t, id))
                                .map(t -> openRelayed(ex, t, id, ViewerSession.Kind.HLS)));
                byte[] bytes;
                try {
                    bytes = peers.segment(r.url(), id, sequence);
                } catch (PeerClient.PeerAnswerException e) {
                    PeerClient.Answer a = e.answer();
                    ex.text(a.status(), a.contentType(), "no-store", a.body());
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ownerUnreachable(r, e);
                } catch (Exception e) {
                    throw ownerUnreachable(r, e);
                }
                ex.text(200, ContinuousTsRoutes.TS_TYPE, "max-age=60", bytes);
                session.filter(s -> !ex.head()).ifPresent(s -> sessions.delivered(s, bytes.length));
            }
            case Route.Unavailable u -> throw unavailable(u);
        }
    }

    /** Answers a continuous-TS request when another node serves it; false: serve it here. */
    boolean ts(Exchange ex, String id) throws InterruptedException {
        if (node.isEmpty()) {
            return false;
        }
        Lookups.channel(streams, id); // nothing is asked of Redis for an id no channel has
        boolean peer = fromPeer(ex);
        switch (node.get().route(id, !peer)) {
            case Route.Local l -> {
                return false;
            }
            case Route.Remote r -> {
                refusePeer(peer, id);
                if (!redirected(ex, r)) {
                    pipe(ex, r, id);
                }
            }
            case Route.Unavailable u -> throw unavailable(u);
        }
        return true;
    }

    private void pipe(Exchange ex, Route.Remote r, String id) throws InterruptedException {
        HttpResponse<InputStream> upstream = relay(() -> peers.ts(r.url(), id), r);
        relayedFrom(ex, r);
        try (InputStream in = upstream.body()) {
            if (upstream.statusCode() != 200 || ex.head()) {
                ex.text(upstream.statusCode(), upstream.headers().firstValue("content-type")
                        .orElse(ContinuousTsRoutes.TS_TYPE), "no-store", ex.head() ? new byte[0] : in.readAllBytes());
                return;
            }
            ex.response().setStatus(200);
            ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, ContinuousTsRoutes.TS_TYPE);
            ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            OutputStream out = Content.Sink.asOutputStream(ex.response());
            in.transferTo(out);
            out.close();
            ex.callback().succeeded();
        } catch (IOException e) {
            // the viewer went away, or the owner's stream ended or broke: the viewer's player reconnects
            ex.callback().failed(e);
        }
    }

    private static void relayedFrom(Exchange ex, Route.Remote r) {
        ex.response().getHeaders().put(ClusterNode.RELAYED_FROM_HEADER, r.node());
    }

    private boolean fromPeer(Exchange ex) {
        return node.orElseThrow().fromPeer(ex.request().getHeaders().get(ClusterNode.PEER_HEADER) == null
                ? Optional.empty() : Optional.of(ex.request().getHeaders().get(ClusterNode.PEER_HEADER)));
    }

    /** A request another node relayed is not relayed again (nodes that disagree never bounce it between them). */
    private static void refusePeer(boolean peer, String id) {
        if (peer) {
            throw notOwner(id);
        }
    }

    private static ApiException notOwner(String id) {
        return new ApiException(503, "not_owner", "this node does not own channel " + id + "; ask again", 1);
    }

    /** With {@code cluster_redirect}, answers a 307 to the node; returns whether it did. */
    private boolean redirected(Exchange ex, Route.Remote r) {
        if (!node.orElseThrow().redirect()) {
            return false;
        }
        ex.response().getHeaders().put(HttpHeader.LOCATION, r.url() + ex.request().getHttpURI().getPathQuery());
        ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        ex.empty(307);
        return true;
    }

    private interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T relay(Call<T> call, Route.Remote r) throws InterruptedException {
        try {
            return call.run();
        } catch (IOException e) {
            throw ownerUnreachable(r, e);
        }
    }

    private static ApiException ownerUnreachable(Route.Remote r, Exception e) {
        return new ApiException(503, "owner_unreachable", "node " + r.node() + ", which runs this channel, did not"
                + " answer; try again shortly", 2);
    }

    private static ApiException unavailable(Route.Unavailable u) {
        return new ApiException(503, "cluster_unavailable", u.reason() + "; try again shortly",
                (int) Math.max(1, u.retryAfter().toSeconds()));
    }
}
