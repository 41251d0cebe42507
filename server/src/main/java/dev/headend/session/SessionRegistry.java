package dev.headend.session;

import dev.headend.stream.LiveStream;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every viewer session, by token and by id. Invariants: a session counts as one viewer of exactly
 * one stream from {@link #open} until it is closed; moving it to another stream moves the count
 * with it; a channel never has more than {@code max_sessions_per_channel} sessions (0: no limit),
 * and a viewer who has a session is never counted again; every session's token was issued by
 * this registry ({@link #issue}) for its channel, so a token made up outside never creates a
 * session or counts as a viewer, and one token is at most one session at a time; a closed
 * session is held nowhere here (only a kicked HLS session's token stays, refused).
 *
 * <p>A token outlives its session: an HLS session that expired (its player paused longer than
 * the idle limit) opens again with the same token on the same channel, unless an operator ended
 * it ({@link #kick}). Tokens of an earlier server run do not verify (the key is drawn at start-up).
 *
 * <p>Ghost rules: an HLS session ends when the stream has had a segment it did not request for
 * three target durations plus {@code session_idle_seconds} (playlist polls do not count: a
 * paused player that keeps polling does not hold a channel open; a player that requested
 * every segment there is, waiting out a stalled stream, is up to date and stays). The ended
 * session's token is dormant for {@code idle_timeout_seconds}: polls with it open nothing, a
 * segment request reopens the session. Any session that received no media for {@code
 * idle_timeout_seconds} is ended, its connection closed.
 *
 * <p>Relay (WebSocket) viewers are sessions too ({@link #openRelay}), counted under the relay
 * stream id they watch, or {@link #ALL_STREAMS} for viewers of every stream, against the same
 * limit; a relay viewer that received no frame for {@link #RELAY_QUIET} is idle. A relay viewer
 * whose client vanished is ended by the relay's keepalive, which closes its connection.
 *
 * <p>In a cluster, a viewer of a channel another node runs is a session here, where the viewer
 * is connected ({@link #openRelayed}): it watches no live stream of this node (the relay serves
 * it from the owner), its HLS ghost rule is the media it received (no segment for {@link
 * #RELAY_QUIET} plus {@code session_idle_seconds}). HLS and TS sessions are counted in the {@link
 * SessionLedger} too, so the limit holds for the cluster: a session is counted there before it
 * is held here (refused: nothing changes) and stops counting when it closes. A session reopened
 * by a segment request ({@link #reopen}, on an I/O thread) is not checked against the ledger: the
 * ledger learns of it at its next renewal (its viewer already watched). Relay (WebSocket) viewers
 * are counted on their node only: the frame relay is not shared between nodes.
 */
public final class SessionRegistry {
    /**
     * What a token in a URL may look like: 22 to 64 base64url characters (this server issues 43,
     * earlier versions issued 22). Anything else is malformed; a well-formed token this server did
     * not issue is merely unknown.
     */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22,64}");
    /** What a session id looks like. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16}");
    /** A session without media for this many target durations is idle (and HLS starts its grace time). */
    static final int QUIET_TARGET_DURATIONS = 3;
    /** A relay session without a frame for this long is idle (relay streams have no target duration). */
    static final Duration RELAY_QUIET = Duration.ofSeconds(5);
    /** The channel id of a relay viewer of every stream ({@code /ws/watch}): never a channel's or a stream's id. */
    public static final String ALL_STREAMS = "*";
    /** The close reason a kicked WebSocket viewer is given. */
    public static final String KICKED = "session ended by an operator";

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final Map<String, ViewerSession> byToken = new ConcurrentHashMap<>();
    private final Map<String, ViewerSession> byId = new ConcurrentHashMap<>();
    /** Sessions per channel id; changed only under {@code this} with the maps above. */
    private final Map<String, Integer> perChannel = new HashMap<>();
    private final Set<String> kicked = ConcurrentHashMap.newKeySet();
    /** Tokens of HLS sessions that ended for want of segment requests, with when; kept for the idle timeout. */
    private final Map<String, Moment> dormant = new ConcurrentHashMap<>();
    private final Map<SessionState, LongAdder> entered = new EnumMap<>(SessionState.class);
    private final LongAdder skips = new LongAdder();
    private final SessionTokens tokens = new SessionTokens();
    private final SecureRandom random = new SecureRandom();
    private final TimeSource time;
    /** Replaced whole when the settings change; every check reads the current one. */
    private volatile SessionSettings settings;
    private final SessionListener listener;
    private final SessionLedger ledger;

    public SessionRegistry(TimeSource time, SessionSettings settings) {
        this(time, settings, SessionListener.NONE);
    }

    public SessionRegistry(TimeSource time, SessionSettings settings, SessionListener listener) {
        this(time, settings, listener, SessionLedger.LOCAL);
    }

    /** @param ledger where sessions are counted beyond this server (the cluster's tallies) */
    public SessionRegistry(TimeSource time, SessionSettings settings, SessionListener listener,
            SessionLedger ledger) {
        this.time = time;
        this.settings = settings;
        this.listener = listener;
        this.ledger = ledger;
        for (SessionState s : SessionState.values()) {
            entered.put(s, new LongAdder());
        }
    }

    public SessionSettings settings() {
        return settings;
    }

    /** The next admission and idle check use {@code next}; open sessions stay open. */
    public void settings(SessionSettings next) {
        settings = next;
    }

    /** A new token for a session on {@code channelId}; nothing is opened or counted yet. */
    public String issue(String channelId) {
        return tokens.issue(channelId);
    }

    /** Whether this server issued {@code token} for a session on {@code channelId}. */
    public boolean issued(String token, String channelId) {
        return tokens.issued(token, channelId);
    }

    /** Whether an operator ended the session of {@code token}: the token no longer works. */
    public boolean kicked(String token) {
        return kicked.contains(token);
    }

    /**
     * Whether {@code token}'s HLS session ended for want of segment requests within the idle
     * timeout: a playlist poll with it opens nothing, a segment request reopens the session.
     */
    public boolean dormant(String token) {
        return dormant.containsKey(token);
    }

    /**
     * Checks, before anything starts, that a new viewer of {@code channelId} would be admitted.
     *
     * @throws SessionLimitException when the channel has its maximum of sessions
     */
    public void admit(String channelId) {
        admitHere(channelId);
        int limit = settings.maxPerChannel();
        if (limit > 0 && !channelId.equals(ALL_STREAMS) && ledger.full(channelId, limit)) {
            throw new SessionLimitException(channelId, limit);
        }
    }

    /** The check of {@link #admit} against this server's own count. */
    private synchronized void admitHere(String channelId) {
        int limit = settings.maxPerChannel();
        if (limit > 0 && perChannel.getOrDefault(channelId, 0) >= limit) {
            throw new SessionLimitException(channelId, limit);
        }
    }

    /**
     * Opens the session of {@code token} and counts it as a viewer of {@code stream}; returns the
     * session already open with that token, if one is (never counted twice).
     *
     * @throws IllegalArgumentException when this registry did not issue the token for the stream's channel
     * @throws SessionEndedException when an operator ended the token's session
     * @throws SessionLimitException when the channel has its maximum of sessions (nothing changes)
     */
    public ViewerSession open(String token, ViewerSession.Kind kind, LiveStream stream, String remote,
            String userAgent) {
        return open(token, kind, stream.id(), stream, remote, userAgent, true);
    }

    /**
     * {@link #open} for a player back from a pause (its segment request reopens its session),
     * without waiting for the {@link SessionLedger}: safe on an I/O thread.
     */
    public ViewerSession reopen(String token, ViewerSession.Kind kind, LiveStream stream, String remote,
            String userAgent) {
        return open(token, kind, stream.id(), stream, remote, userAgent, false);
    }

    /**
     * Opens the session of a viewer connected here to a channel another cluster node runs (the
     * relay serves it from that node): like {@link #open}, watching no live stream of this node.
     *
     * @throws IllegalArgumentException when this registry did not issue the token for the channel
     * @throws SessionEndedException when an operator ended the token's session
     * @throws SessionLimitException when the channel has its maximum of sessions (nothing changes)
     */
    public ViewerSession openRelayed(String token, ViewerSession.Kind kind, String channelId, String remote,
            String userAgent) {
        return open(token, kind, channelId, null, remote, userAgent, true);
    }

    /** Opens an HLS or TS session; {@code stream} null for a relayed one; {@code counted}: check the ledger first. */
    private ViewerSession open(String token, ViewerSession.Kind kind, String channelId, LiveStream stream,
            String remote, String userAgent, boolean counted) {
        if (!tokens.issued(token, channelId)) {
            throw new IllegalArgumentException("session token not issued by this server for channel " + channelId);
        }
        if (kicked.contains(token)) {
            throw new SessionEndedException();
        }
        ViewerSession previous = byToken.get(token);
        if (previous != null) {
            return previous;
        }
        String id = newId();
        if (counted) {
            admitHere(channelId); // the cheap refusal first: nothing is counted in the ledger for it
            int limit = settings.maxPerChannel();
            if (!ledger.reserve(channelId, id, limit)) {
                throw new SessionLimitException(channelId, limit);
            }
        }
        ViewerSession s;
        synchronized (this) {
            previous = byToken.get(token);
            if (previous != null) {
                s = null;
            } else {
                try {
                    s = register(new ViewerSession(id, token, kind, channelId, stream, remote, userAgent, time.now(),
                            time.wallClock()));
                } catch (SessionLimitException e) {
                    if (counted) {
                        ledger.release(channelId, id);
                    }
                    throw e;
                }
                dormant.remove(token);
                if (stream != null) {
                    stream.viewerJoined();
                }
            }
        }
        if (s == null) {
            if (counted) {
                ledger.release(channelId, id); // another request opened the token's session meanwhile
            }
            return previous;
        }
        started(s);
        return s;
    }

    /**
     * Opens the session of a relay (WebSocket) viewer of {@code streamId}, or of every stream
     * ({@link #ALL_STREAMS}); it lasts until {@link #close} (its connection closed).
     *
     * @throws SessionLimitException when {@code streamId} has its maximum of sessions (nothing changes)
     */
    public ViewerSession openRelay(String streamId, String remote, String userAgent) {
        ViewerSession s;
        synchronized (this) {
            s = register(new ViewerSession(newId(), tokens.issue(streamId), ViewerSession.Kind.WS, streamId, null,
                    remote, userAgent, time.now(), time.wallClock()));
        }
        started(s);
        return s;
    }

    /** Admits and holds a new session; called under {@code this}. */
    private ViewerSession register(ViewerSession s) {
        admitHere(s.channelId());
        byToken.put(s.token(), s);
        byId.put(s.id(), s);
        perChannel.merge(s.channelId(), 1, Integer::sum);
        return s;
    }

    private void started(ViewerSession s) {
        entered.get(SessionState.CREATED).increment();
        log.debug("session {} ({} on {} from {}): created", s.id(), s.kind(), s.channelId(), s.remote());
        listener.started(s);
    }

    public Optional<ViewerSession> find(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** The session the API names {@code id}. */
    public Optional<ViewerSession> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Media reached the viewer: a segment (HLS) or bytes written (TS). Only this keeps a session alive. */
    public void delivered(ViewerSession s, long bytes) {
        s.delivered(bytes, time.now()).ifPresent(t -> record(s, t));
    }

    /** A continuous-TS viewer fell behind the retained segments and was moved to the live point. */
    public void skipped(ViewerSession s) {
        s.skipped();
        skips.increment();
    }

    /** How many times continuous-TS viewers were moved to the live point since the server started (for the metrics). */
    public long skips() {
        return skips.sum();
    }

    /** A delivery to the viewer failed; repeated failures end the session. */
    public void failed(ViewerSession s) {
        s.failed().ifPresent(t -> {
            record(s, t);
            if (t.to() == SessionState.DISCONNECTED) {
                close(s);
            }
        });
    }

    /** Rebinds a session to the channel's current stream (after its old stream ended). */
    public void move(ViewerSession s, LiveStream next) {
        synchronized (this) {
            Optional<LiveStream> old = s.live();
            if (old.filter(o -> o == next).isPresent() || byToken.get(s.token()) != s) {
                return;
            }
            s.moveTo(next);
            next.viewerJoined();
            old.ifPresent(LiveStream::viewerLeft);
        }
    }

    /** Ends the session (its connection closed or gone quiet) and forgets it. Idempotent. */
    public void close(ViewerSession s) {
        synchronized (this) {
            if (!byToken.remove(s.token(), s)) {
                return;
            }
            byId.remove(s.id());
            perChannel.computeIfPresent(s.channelId(), (c, n) -> n == 1 ? null : n - 1);
            s.live().ifPresent(LiveStream::viewerLeft);
        }
        if (s.kind() != ViewerSession.Kind.WS) {
            ledger.release(s.channelId(), s.id());
        }
        s.end().ifPresent(t -> record(s, t));
        listener.ended(s);
    }

    /**
     * Ends the session named {@code id} for good: an HLS token stops working (it is remembered,
     * refused, until the server stops) and a TS or WebSocket connection is closed at once (a
     * WebSocket with the reason {@value #KICKED}); nothing of those is kept.
     *
     * @return the session ended, empty when there is none by that id
     */
    public Optional<ViewerSession> kick(String id) {
        ViewerSession s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.kind() == ViewerSession.Kind.HLS) { // only an HLS token comes back, in its player's URLs
            kicked.add(s.token());
        }
        close(s);
        s.disconnect(KICKED);
        log.info("session {} ({} on {} from {}): ended by the operator", s.id(), s.kind(), s.channelId(), s.remote());
        return Optional.of(s);
    }

    /**
     * The frequent check: a session without media for three target durations becomes idle; an
     * HLS session that left a segment unrequested for three target durations plus {@code
     * session_idle_seconds} ends. Returns how many ended.
     */
    public int expireIdle() {
        Moment now = time.now();
        int n = 0;
        for (ViewerSession s : byToken.values()) {
            Duration quiet = s.live().map(st -> st.targetDuration().multipliedBy(QUIET_TARGET_DURATIONS))
                    .orElse(RELAY_QUIET);
            Duration since = s.lastActivity().until(now);
            Duration behind = s.live().map(st -> s.behind(st.lastSegmentAt(), now)).orElse(since);
            if (s.kind() == ViewerSession.Kind.HLS && behind.compareTo(quiet.plus(settings.idle())) > 0) {
                dormant.put(s.token(), now);
                close(s);
                n++;
            } else if (since.compareTo(quiet) > 0) {
                s.quiet().ifPresent(t -> record(s, t));
            }
        }
        return n;
    }

    /**
     * The cleanup (every {@code cleanup_interval_seconds}): ends every session that received no
     * media for {@code idle_timeout_seconds}, closing its connection, and forgets the dormant
     * tokens as old. Returns how many sessions ended.
     */
    public int cleanup() {
        Moment cutoff = time.now().minus(settings.idleTimeout());
        dormant.values().removeIf(at -> at.isBefore(cutoff));
        String reason = "no media for " + settings.idleTimeout().toSeconds() + " s (idle_timeout_seconds)";
        int n = 0;
        for (ViewerSession s : byToken.values()) {
            if (s.lastActivity().isBefore(cutoff)) {
                close(s);
                s.disconnect(reason);
                n++;
            }
        }
        return n;
    }

    public Collection<ViewerSession> all() {
        return List.copyOf(byToken.values());
    }

    public int size() {
        return byToken.size();
    }

    /** The ids of the HLS and TS sessions open here, by channel: this server's part of the {@link SessionLedger}. */
    public Map<String, List<String>> countedIds() {
        Map<String, List<String>> out = new HashMap<>();
        for (ViewerSession s : byToken.values()) {
            if (s.kind() != ViewerSession.Kind.WS) {
                out.computeIfAbsent(s.channelId(), c -> new ArrayList<>()).add(s.id());
            }
        }
        return out;
    }

    /** Sessions on {@code channelId} now. */
    public synchronized int count(String channelId) {
        return perChannel.getOrDefault(channelId, 0);
    }

    /** How many times sessions entered {@code state} since the server started (for the metrics). */
    public long entered(SessionState state) {
        return entered.get(state).sum();
    }

    private void record(ViewerSession s, SessionMachine.Transition t) {
        entered.get(t.to()).increment();
        log.debug("session {} ({} on {}): {} -> {}", s.id(), s.kind(), s.channelId(), t.from().label(),
                t.to().label());
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
