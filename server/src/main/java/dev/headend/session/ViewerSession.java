package dev.headend.session;

import dev.headend.stream.Stream;
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
    private volatile Stream stream;
    private volatile Instant lastSeen;

    ViewerSession(String token, Kind kind, Stream stream, String remote, String userAgent, Instant now) {
        this.token = token;
        this.kind = kind;
        this.stream = stream;
        this.remote = remote;
        this.userAgent = userAgent;
        this.startedAt = now;
        this.lastSeen = now;
    }

    public String token() {
        return token;
    }

    public Kind kind() {
        return kind;
    }

    public Stream stream() {
        return stream;
    }

    public String remote() {
        return remote;
    }

    public String userAgent() {
        return userAgent;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    void touch(Instant now) {
        lastSeen = now;
    }

    void moveTo(Stream next) {
        stream = next;
    }
}
