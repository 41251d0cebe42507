package dev.headend.session;

import dev.headend.stream.LiveStream;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every viewer session, by token. Invariants: a session counts as one viewer of exactly one
 * stream from {@link #open} until it is closed or expires; moving it to another stream moves
 * the count with it; every session's token was issued by this registry ({@link #issue}) for its
 * channel, so a token made up outside never creates a session or counts as a viewer, and one
 * token is at most one session at a time.
 *
 * <p>A token outlives its session: an HLS session that expired (its player paused longer than
 * the idle limit) opens again with the same token on the same channel. That lets no outsider
 * mint viewers: every token comes from a request to the server, one token is one viewer at most.
 * Tokens of an earlier server run do not verify (the key is drawn at start-up).
 */
public final class SessionRegistry {
    /**
     * What a token in a URL may look like: 22 to 64 base64url characters (this server issues 43,
     * earlier versions issued 22). Anything else is malformed; a well-formed token this server did
     * not issue is merely unknown.
     */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22,64}");

    private final Map<String, ViewerSession> sessions = new ConcurrentHashMap<>();
    private final SessionTokens tokens = new SessionTokens();
    private final TimeSource time;
    private final Duration idle;

    public SessionRegistry(TimeSource time, SessionSettings settings) {
        this.time = time;
        this.idle = settings.idle();
    }

    /** A new token for a session on {@code channelId}; nothing is opened or counted yet. */
    public String issue(String channelId) {
        return tokens.issue(channelId);
    }

    /** Whether this server issued {@code token} for a session on {@code channelId}. */
    public boolean issued(String token, String channelId) {
        return tokens.issued(token, channelId);
    }

    /**
     * Opens the session of {@code token} and counts it as a viewer of {@code stream}; returns the
     * session already open with that token, if one is.
     *
     * @throws IllegalArgumentException when this registry did not issue the token for the stream's channel
     */
    public ViewerSession open(String token, ViewerSession.Kind kind, LiveStream stream, String remote,
            String userAgent) {
        if (!tokens.issued(token, stream.id())) {
            throw new IllegalArgumentException("session token not issued by this server for channel " + stream.id());
        }
        ViewerSession s = new ViewerSession(token, kind, stream, remote, userAgent, time.now(), time.wallClock());
        ViewerSession previous = sessions.putIfAbsent(token, s);
        if (previous != null) {
            return previous;
        }
        stream.viewerJoined();
        return s;
    }

    public Optional<ViewerSession> find(String token) {
        return Optional.ofNullable(sessions.get(token));
    }

    /** Records activity; an HLS session lives while it keeps requesting. */
    public void touch(ViewerSession s) {
        s.touch(time.now());
    }

    /** Rebinds a session to the channel's current stream (after its old stream ended). */
    public void move(ViewerSession s, LiveStream next) {
        synchronized (s) {
            LiveStream old = s.stream();
            if (old == next || !sessions.containsKey(s.token())) {
                return;
            }
            s.moveTo(next);
            next.viewerJoined();
            old.viewerLeft();
        }
    }

    public void close(ViewerSession s) {
        synchronized (s) {
            if (sessions.remove(s.token(), s)) {
                s.stream().viewerLeft();
            }
        }
    }

    /** Ends HLS sessions idle for longer than the idle limit; returns how many. */
    public int expireIdle() {
        Moment cutoff = time.now().minus(idle);
        int n = 0;
        for (ViewerSession s : sessions.values()) {
            if (s.kind() == ViewerSession.Kind.HLS && s.lastSeen().isBefore(cutoff)) {
                close(s);
                n++;
            }
        }
        return n;
    }

    public Collection<ViewerSession> all() {
        return List.copyOf(sessions.values());
    }

    public int size() {
        return sessions.size();
    }
}
