package dev.headend.session;

import dev.headend.stream.LiveStream;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every viewer session, by token. Invariant: a session counts as one viewer of exactly one
 * stream from {@link #open} until it is closed or expires; moving it to another stream moves
 * the count with it.
 */
public final class SessionRegistry {
    /** Tokens are 128 random bits, base64url without padding. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ViewerSession> sessions = new ConcurrentHashMap<>();
    private final TimeSource time;
    private final Duration idle;

    public SessionRegistry(TimeSource time, SessionSettings settings) {
        this.time = time;
        this.idle = settings.idle();
    }

    public static String newToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Opens a session with a given token (HLS) and counts it as a viewer of {@code stream}. */
    public ViewerSession open(String token, ViewerSession.Kind kind, LiveStream stream, String remote,
            String userAgent) {
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
