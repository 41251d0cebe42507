package dev.headend.session;

import dev.headend.stream.LiveStream;
import dev.headend.time.Moment;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One player watching a stream. HLS sessions are identified by the token the playlist writes
 * into its own and its segments' URIs (no cookies); continuous-TS and relay (WebSocket) sessions
 * last as long as their connection. The API names a session by its {@link #id()}, never by its
 * token.
 *
 * <p>Invariants: the state machine, the error count and the rate window change only under this
 * object's lock; {@link #lastActivity()} is the last media delivered (a segment, TS bytes, a
 * relay frame), or the opening, never a playlist poll or a control message; an HLS or TS session
 * watches a live stream of its channel, unless it is relayed (its channel runs on another cluster
 * node), a relay session none (its channel id is the relay stream id, or {@link
 * SessionRegistry#ALL_STREAMS}).
 */
public final class ViewerSession {
    /** How the viewer receives the stream. */
    public enum Kind {
        HLS,
        TS,
        /** A viewer of the WebSocket frame relay. */
        WS;

        /** The name shown in the API, the metrics and events. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The delivery rate is measured over windows at least this long. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(2);

    private final String id;
    private final String token;
    private final Kind kind;
    private final String channelId;
    private final String remote;
    private final String userAgent;
    private final Instant startedAt;
    private final Moment openedAt;
    private final SessionMachine machine = new SessionMachine();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong skips = new AtomicLong();
    private volatile Moment lastActivity;
    /** Null for a relay session. */
    private volatile LiveStream stream;
    private volatile Consumer<String> disconnect = reason -> {};
    /** Since when the stream has had a segment this (HLS) viewer did not request; null while it is up to date. */
    private Moment behindSince;
    private int errors;
    private Moment windowStart;
    private long windowBytes;
    private long rateBps;

    ViewerSession(String id, String token, Kind kind, String channelId, LiveStream stream, String remote,
            String userAgent, Moment now, Instant wallNow) {
        this.id = id;
        this.token = token;
        this.kind = kind;
        this.channelId = channelId;
        this.stream = stream;
        this.remote = remote;
        this.userAgent = userAgent;
        this.startedAt = wallNow;
        this.openedAt = now;
        this.lastActivity = now;
        this.windowStart = now;
    }

    /** The session's public name (16 base64url characters), for the API. */
    public String id() {
        return id;
    }

    public String token() {
        return token;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The live stream an HLS or TS session of this node's stream watches.
     *
     * @throws IllegalStateException for a relay session, or one relayed from another cluster node:
     *     they watch no live stream of this node
     */
    public LiveStream stream() {
        LiveStream s = stream;
        if (s == null) {
            throw new IllegalStateException("session " + id + " watches no live stream of this node");
        }
        return s;
    }

    /** The live stream watched; empty for a relay session, or one relayed from another cluster node. */
    public Optional<LiveStream> live() {
        return Optional.ofNullable(stream);
    }

    /** The channel watched; for a relay session, the relay stream id or {@link SessionRegistry#ALL_STREAMS}. */
    public String channelId() {
        return channelId;
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

    /** When the session began, on the monotonic clock. */
    public Moment openedAt() {
        return openedAt;
    }

    /** The last media delivered to the viewer (or the opening), on the monotonic clock. */
    public Moment lastActivity() {
        return lastActivity;
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    /** Times this (TS) viewer fell behind the retained segments and was moved to the live point. */
    public long skips() {
        return skips.get();
    }

    void skipped() {
        skips.incrementAndGet();
    }

    public synchronized int errors() {
        return errors;
    }

    public synchronized SessionState state() {
        return machine.state();
    }

    /** Bytes per second delivered over the last rate window (TS); empty for HLS. */
    public synchronized Optional<Long> deliveryRateBps(Moment now) {
        if (kind != Kind.TS) {
            return Optional.empty();
        }
        Duration open = windowStart.until(now);
        if (open.compareTo(RATE_WINDOW.multipliedBy(2)) >= 0) {
            return Optional.of(perSecond(bytesSent.get() - windowBytes, open)); // nothing sent lately
        }
        return Optional.of(rateBps);
    }

    synchronized Optional<SessionMachine.Transition> delivered(long bytes, Moment now) {
        long total = bytesSent.addAndGet(bytes);
        lastActivity = now;
        Duration open = windowStart.until(now);
        if (open.compareTo(RATE_WINDOW) >= 0) {
            rateBps = perSecond(total - windowBytes, open);
            windowStart = now;
            windowBytes = total;
        }
        return machine.delivered();
    }

    /**
     * How long the stream has had segments this viewer did not request, given when its newest
     * segment closed: zero while the viewer requested a segment since (a player waiting out a
     * stalled stream is up to date), otherwise measured from the first time a newer segment was
     * seen here (so within one check interval of its close).
     */
    synchronized Duration behind(Moment newestSegmentAt, Moment now) {
        if (!newestSegmentAt.isAfter(lastActivity)) {
            behindSince = null;
            return Duration.ZERO;
        }
        if (behindSince == null || behindSince.isBefore(lastActivity)) {
            behindSince = newestSegmentAt;
        }
        return behindSince.until(now);
    }

    synchronized Optional<SessionMachine.Transition> failed() {
        errors++;
        return machine.failed();
    }

    synchronized Optional<SessionMachine.Transition> quiet() {
        return machine.quiet();
    }

    synchronized Optional<SessionMachine.Transition> end() {
        return machine.end();
    }

    /**
     * What closes the viewer's connection when the session is ended from outside (a kick, the
     * idle timeout); it is given the reason, for a connection that can tell its peer (WebSocket).
     */
    public void onDisconnect(Consumer<String> action) {
        disconnect = action;
    }

    void disconnect(String reason) {
        disconnect.accept(reason);
    }

    void moveTo(LiveStream next) {
        stream = next;
    }

    private static long perSecond(long bytes, Duration over) {
        return over.isZero() ? 0 : bytes * 1_000_000_000L / over.toNanos();
    }
}
