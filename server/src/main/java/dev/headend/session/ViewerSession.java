package dev.headend.session;

import dev.headend.stream.LiveStream;
import dev.headend.time.Moment;
import java.time.Instant;

/**
 * One player watching a stream. HLS sessions are identified by the token the playlist writes
 * into its own and its segments' URIs (no cookies); continuous-TS sessions last as long as
 * their connection.
 */
public final class ViewerSession {
    /** How the viewer receives the stream. */
    public enum Kind {
        HLS,
        TS
    }

    private final String token;
    private final Kind kind;
    private final String remote;
    private final String userAgent;
    private final Instant startedAt;
    private volatile LiveStream stream;
    private volatile Moment lastSeen;

    ViewerSession(String token, Kind kind, LiveStream stream, String remote, String userAgent, Moment now,
            Instant wallNow) {
        this.token = token;
        this.kind = kind;
        this.stream = stream;
        this.remote = remote;
        this.userAgent = userAgent;
        this.startedAt = wallNow;
        this.lastSeen = now;
    }

    public String token() {
        return token;
    }

    public Kind kind() {
        return kind;
    }

    public LiveStream stream() {
        return stream;
    }

    public String remote() {
        return remote;
    }

    public String userAgent() {
        return userAgent;
    }

    /** When the session began, by the wall clock. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The session's last request, on the monotonic clock. */
    public Moment lastSeen() {
        return lastSeen;
    }

    void touch(Moment now) {
        lastSeen = now;
    }

    void moveTo(LiveStream next) {
        stream = next;
    }
}
