package dev.headend.config;

import dev.headend.cluster.RedisAddress;
import dev.headend.security.Secret;
import dev.headend.security.Secrets;
import dev.headend.time.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every server setting, defined exactly once: its YAML key (under {@code server:}), its
 * environment variable, its kind, default and allowed range, the part of the server it
 * configures, and what it means. {@link ServerSettings} resolves and validates the values and
 * binds them to each component's settings record; the README reference table is checked
 * against this enum (a test keeps them in step).
 *
 * <p>Durations are written as a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}); a bare number is seconds, as the keys' {@code _seconds} suffix says.
 */
public enum Setting {
    PORT(Part.HTTP, "port", Kind.INTEGER, "8080", "0", "65535", "HTTP port (0 picks a free port)"),
    BIND(Part.HTTP, "bind", Kind.TEXT, "127.0.0.1", "", "", "address the HTTP server listens on (0.0.0.0: every"
            + " interface, so TVs and phones on the network can watch)"),
    PUBLIC_URL(Part.HTTP, "public_url", Kind.URL, "", "", "", "base of the playback URLs in API answers, such as"
            + " https://tv.example.com (unset: the address the client used when it is one of the server's own)"),
    CORS_ORIGINS(Part.HTTP, "cors_origins", Kind.TEXT, "*", "", "", "origins whose pages may read playback routes,"
            + " comma-separated (* for any); admin routes never answer cross-origin requests"),
    ADMIN_TOKEN(Part.SECURITY, "admin_token", Kind.SECRET, "", "", "", "bearer token for /api and /metrics, at least"
            + " 16 characters (unset: generated at first start and kept in data_dir/admin-token)"),
    METRICS_PUBLIC(Part.SECURITY, "metrics_public", Kind.BOOLEAN, "false", "", "",
            "serve /metrics without the admin token"),
    PLAYBACK_SECRET(Part.SECURITY, "playback_secret", Kind.SECRET, "", "", "", "when set (at least 16 characters),"
            + " playlists, segments and TS need a signed, expiring URL (from POST /api/channels/{id}/signed-url)"),
    SIGNED_URL_SECONDS(Part.SECURITY, "signed_url_seconds", Kind.DURATION, "24h", "1m", "365d",
            "how long a signed playback URL stays valid unless the request asks for less"),
    DATA_DIR(Part.FILES, "data_dir", Kind.TEXT, "./data", "", "",
            "directory for generated files (test-pattern captions, slate work files) and the store (headend.db)"),
    HLS_MIRROR_DIR(Part.FILES, "hls_mirror_dir", Kind.PATH, "", "", "", "when set, every running stream's live"
            + " playlist and segments are also written to DIR/{channel id}/ for another web server to serve"),
    FFMPEG(Part.FILES, "ffmpeg", Kind.TEXT, "ffmpeg", "", "", "FFmpeg executable (name on PATH or absolute path);"
            + " ffprobe, which probes a channel's format for its slate, is run from beside it"),
    SEGMENT_SECONDS(Part.STREAMS, "segment_seconds", Kind.INTEGER, "1", "1", "10",
            "target segment duration in seconds"),
    WINDOW_SEGMENTS(Part.STREAMS, "window_segments", Kind.INTEGER, "6", "2", "30",
            "segments listed in a live playlist"),
    SEGMENTS_KEPT_AFTER_WINDOW(Part.STREAMS, "segments_kept_after_window", Kind.INTEGER, "8", "2", "100",
            "segments that stay downloadable after they leave the playlist, for players that are behind"),
    INITIAL_SEGMENTS(Part.STREAMS, "initial_segments", Kind.INTEGER, "1", "1", "10", "segments a new stream must"
            + " list before its first playlist is answered (at most window_segments; a stream that has fewer when"
            + " start_timeout_seconds is over is answered with those it has)"),
    START_TIMEOUT_SECONDS(Part.STREAMS, "start_timeout_seconds", Kind.DURATION, "20s", "100ms", "300s",
            "how long a playlist request or ?wait=ready waits for the first segment (and a pipeline that made"
            + " none by then is ended)"),
    SESSION_IDLE_SECONDS(Part.SESSIONS, "session_idle_seconds", Kind.DURATION, "15s", "500ms", "1h",
            "an HLS session ends after 3 target durations plus this long with a segment it did not request"),
    MAX_SESSIONS_PER_CHANNEL(Part.SESSIONS, "max_sessions_per_channel", Kind.INTEGER, "50", "0", "100000",
            "viewer sessions a channel may have at once (0: no limit); one more gets 429 (also HEADEND_MAX_SESSIONS)"),
    IDLE_TIMEOUT_SECONDS(Part.SESSIONS, "idle_timeout_seconds", Kind.DURATION, "300s", "1s", "1d",
            "a viewer that received no media for this long is ended (a continuous-TS connection is closed)"),
    CLEANUP_INTERVAL_SECONDS(Part.SESSIONS, "cleanup_interval_seconds", Kind.DURATION, "60s", "1s", "1h",
            "interval of the check that ends viewers past idle_timeout_seconds"),
    TS_START_SLATE(Part.THROTTLE, "ts_start_slate", Kind.BOOLEAN, "true", "", "", "a continuous-TS viewer who tunes"
            + " in while the channel cannot start gets the slate at once (saying what is wrong) while the restart"
            + " policy retries, then the picture on the same connection (false: 503, as HLS playlists get);"
            + " a channel's ts_start_slate: overrides it"),
    THROTTLE_MODE(Part.THROTTLE, "throttle_mode", Kind.TEXT, "burst", "", "", "how fast continuous-TS viewers are"
            + " sent the stream: realtime, burst (from a keyframe 6 s back, as fast as the viewer reads until it holds"
            + " 6 s, so a player starts at once, then real time), adaptive (burst lowered for a viewer that cannot"
            + " keep up, refilled when its buffer runs low) or disabled (as fast as it reads); a channel's throttle:"
            + " overrides it"),
    TARGET_BITRATE_BPS(Part.THROTTLE, "target_bitrate_bps", Kind.INTEGER, "0", "0", "1000000000",
            "the stream's rate for throttling, in bits per second (0: measured, each segment's bytes over its"
                    + " duration)"
                    + " (also HEADEND_THROTTLE_BITRATE)"),
    SWEEP_INTERVAL_SECONDS(Part.STREAMS, "sweep_interval_seconds", Kind.DURATION, "60s", "100ms", "1h",
            "interval of the sweep that ends stalled or dead streams"),
    STOP_GRACE_SECONDS(Part.STREAMS, "stop_grace_seconds", Kind.DURATION, "5s", "100ms", "60s",
            "time between SIGTERM and SIGKILL when a pipeline is stopped"),
    MAX_PROCESSES(Part.POOL, "max_processes", Kind.INTEGER, "64", "1", "10000",
            "cap on FFmpeg processes; lowered at run time when memory or file descriptors run short"),
    SPAWNS_PER_SECOND(Part.POOL, "spawns_per_second", Kind.INTEGER, "5", "1", "1000",
            "spawn rate limit (token bucket, burst of the same size)"),
    MEMORY_GUARD_PERCENT(Part.POOL, "memory_guard_percent", Kind.INTEGER, "85", "10", "100",
            "no new pipeline while system memory use is at or above this percentage"),
    MIN_FREE_FDS(Part.POOL, "min_free_fds", Kind.INTEGER, "100", "0", "1000000",
            "no new pipeline while fewer file descriptors than this are free"),
    MAX_PROCESS_AGE_SECONDS(Part.STREAMS, "max_process_age_seconds", Kind.DURATION, "24h", "1s", "365d",
            "a pipeline running longer is replaced seamlessly (long-run guard)"),
    RESTART_LIMIT(Part.RESTARTS, "restart_limit", Kind.INTEGER, "10", "1", "10000",
            "global throttle: restarts allowed in any restart window"),
    RESTART_WINDOW_SECONDS(Part.RESTARTS, "restart_window_seconds", Kind.DURATION, "60s", "100ms", "1h",
            "the global throttle's window"),
    RESTART_COOLDOWN_SECONDS(Part.RESTARTS, "restart_cooldown_seconds", Kind.DURATION, "30s", "0s", "1h",
            "minimum time between two restarts of one channel"),
    HEALTHY_RUN_SECONDS(Part.RESTARTS, "healthy_run_seconds", Kind.DURATION, "30s", "100ms", "1d",
            "a run healthy this long is restarted at once when it fails (no cooldown)"),
    BREAKER_FAILURES(Part.RESTARTS, "breaker_failures", Kind.INTEGER, "5", "1", "1000",
            "failures within the breaker window that open the circuit"),
    BREAKER_WINDOW_SECONDS(Part.RESTARTS, "breaker_window_seconds", Kind.DURATION, "300s", "100ms", "1d",
            "the circuit breaker's failure window"),
    BREAKER_OPEN_SECONDS(Part.RESTARTS, "breaker_open_seconds", Kind.DURATION, "120s", "100ms", "1d",
            "how long an open circuit holds restarts before one half-open attempt"),
    FAILOVER_FAILURES(Part.STREAMS, "failover_failures", Kind.INTEGER, "3", "1", "100",
            "failures of a source within the failover window that move the channel to its next source"),
    FAILOVER_WINDOW_SECONDS(Part.STREAMS, "failover_window_seconds", Kind.DURATION, "300s", "100ms", "1d",
            "the failover failure window"),
    FAILBACK_SECONDS(Part.STREAMS, "failback_seconds", Kind.DURATION, "300s", "1s", "1d",
            "a channel on a fallback source tries its first source again after this long stable"),
    WEBHOOK_GIVE_UP_SECONDS(Part.EVENTS, "webhook_give_up_seconds", Kind.DURATION, "24h", "1s", "30d",
            "a webhook delivery still failing this long after its event is marked dead (kept, shown by the API)"),
    WEBHOOK_BACKOFF_MAX_SECONDS(Part.EVENTS, "webhook_backoff_max_seconds", Kind.DURATION, "10m", "1s", "24h",
            "longest wait between two attempts of a webhook delivery (exponential from 1s, jittered)"),
    EVENT_LISTENER_QUEUE(Part.EVENTS, "event_listener_queue", Kind.INTEGER, "1024", "1", "100000",
            "events queued for one SSE or WebSocket listener; beyond it the listener gets a gap event and"
            + " catches up from the store"),
    GUIDE_HOURS(Part.IPTV, "guide_hours", Kind.INTEGER, "24", "1", "336",
            "hours ahead the XMLTV guide (/epg.xml) covers, from the start of the current hour"),
    GUIDE_TIME_ZONE(Part.IPTV, "guide_time_zone", Kind.TEXT, "system", "", "", "time zone of the start times in"
            + " channels' guide: sections that give none, such as Europe/Paris (system: the server's)"),
    SSDP_DISCOVERY(Part.IPTV, "ssdp_discovery", Kind.BOOLEAN, "false", "", "", "answer SSDP searches (UDP 1900)"
            + " so media servers find the emulated HDHomeRun tuner on the network by themselves; not with"
            + " playback_secret"),

    RELAY_PUBLISH_SECRET(Part.SECURITY, "relay_publish_secret", Kind.SECRET, "", "", "", "when set (at least 16"
            + " characters), publishing to /ws/publish/{id} needs that stream's publish token (from POST"
            + " /api/relay/streams/{id}/publish-token) or the admin token (unset: loopback clients only)"),
    RELAY_WATCH_TOKEN(Part.SECURITY, "relay_watch_token", Kind.SECRET, "", "", "", "when set (at least 16"
            + " characters), /ws/watch needs it (or the admin token) as ?token= (unset: loopback clients only)"),
    RELAY_MAX_FRAME_BYTES(Part.RELAY, "relay_max_frame_bytes", Kind.INTEGER, "2097152", "1024", "67108864",
            "largest relayed frame (decoded image bytes); larger ones are skipped and counted as invalid"),
    RELAY_STALL_SECONDS(Part.RELAY, "relay_stall_seconds", Kind.DURATION, "10s", "100ms", "1h",
            "a publisher without a frame for this long is reported stalled (publisher_stalled)"),
    RELAY_END_SECONDS(Part.RELAY, "relay_end_seconds", Kind.DURATION, "15s", "200ms", "1h",
            "a publisher without a frame for this long is closed and viewers get stream_ended"),
    RELAY_SEND_TIMEOUT_SECONDS(Part.RELAY, "relay_send_timeout_seconds", Kind.DURATION, "1s", "50ms", "60s",
            "a relay viewer whose send takes longer is disconnected"),
    RELAY_PING_SECONDS(Part.RELAY, "relay_ping_seconds", Kind.DURATION, "15s", "100ms", "1h",
            "interval of WebSocket pings to relay publishers and viewers"),
    RELAY_PONG_TIMEOUT_SECONDS(Part.RELAY, "relay_pong_timeout_seconds", Kind.DURATION, "45s", "300ms", "1h",
            "a relay publisher or viewer that answers nothing for this long is removed"),

    REDIS_URL(Part.CLUSTER, "redis_url", Kind.REDIS_URL, "", "", "", "when set, this node joins the cluster kept in"
            + " this Redis: redis://[user:password@]host:port[/db] (rediss:// for TLS); the password is never shown"
            + " (unset: a single node, no Redis)"),
    NODE_URL(Part.CLUSTER, "node_url", Kind.URL, "", "", "", "the base URL other nodes reach this node at, such as"
            + " http://10.0.0.5:8080 (unset: http://BIND:PORT, the host's address when bind is 0.0.0.0)"),
    NODE_ID(Part.CLUSTER, "node_id", Kind.TEXT, "auto", "", "", "this node's name in the cluster, 1-64 of A-Z, a-z,"
            + " 0-9, '.', '_' and '-' (auto: generated once and kept in data_dir/node-id)"),
    LEASE_TTL_SECONDS(Part.CLUSTER, "lease_ttl_seconds", Kind.DURATION, "6s", "1s", "60s", "how long a channel's"
            + " ownership lease lasts without renewal (renewed every third of it); an owner that cannot renew stops"
            + " its pipeline when it runs out, and another node may then take the channel"),
    CLUSTER_REDIRECT(Part.CLUSTER, "cluster_redirect", Kind.BOOLEAN, "false", "", "", "a viewer of a channel another"
            + " node owns gets a 307 to that node (false: this node relays the owner's playlist, segments and TS)"),
    CLUSTER_SECRET(Part.CLUSTER, "cluster_secret", Kind.SECRET, "", "", "", "the credential nodes give each other"
            + " when relaying, at least 16 characters, the same on every node (unset: generated by the first node"
            + " and kept in Redis)");


    /** The part of the server a setting configures (the component whose settings record it is bound to). */
    public enum Part {
        HTTP, SECURITY, FILES, STREAMS, SESSIONS, THROTTLE, POOL, RESTARTS, EVENTS, IPTV, RELAY, CLUSTER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** When a changed value takes effect. */
    public enum Applies {
        /** At once: the next stream, session, viewer or restart decision uses it. */
        LIVE,
        /** At the next start of the server. */
        RESTART_REQUIRED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a value is written and checked. */
    public enum Kind {
        /** A whole number within the range. */
        INTEGER,
        /** A duration within the range (see the class comment for the notation). */
        DURATION,
        /** Any non-empty text. */
        TEXT,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** An {@code http} or {@code https} URL with a host and no query; empty for none. */
        URL,
        /** A secret of at least {@link Secret#MIN_LENGTH} characters; empty for none. Never shown. */
        SECRET,
        /** A file system path; empty for none. */
        PATH,
        /** A {@code redis://} or {@code rediss://} URL; empty for none. Its password is never shown. */
        REDIS_URL;

        /** True for kinds written as numbers or durations within a range. */
        public boolean ranged() {
            return this == INTEGER || this == DURATION;
        }
    }

    private final Part part;
    private final String key;
    private final Kind kind;
    private final String defaultText;
    private final String minText;
    private final String maxText;
    private final String description;

    Setting(Part part, String key, Kind kind, String defaultText, String minText, String maxText,
            String description) {
        this.part = part;
        this.key = key;
        this.kind = kind;
        this.defaultText = defaultText;
        this.minText = minText;
        this.maxText = maxText;
        this.description = description;
    }

    public Part part() {
        return part;
    }

    public String key() {
        return key;
    }

    public String envVar() {
        return "HEADEND_" + name();
    }

    /** An older name of the environment variable, still read when {@link #envVar()} is unset. */
    public Optional<String> envAlias() {
        return switch (this) {
            case MAX_SESSIONS_PER_CHANNEL -> Optional.of("HEADEND_MAX_SESSIONS");
            case TARGET_BITRATE_BPS -> Optional.of("HEADEND_THROTTLE_BITRATE");
            default -> Optional.empty();
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The default, as written in a configuration file. */
    public String defaultText() {
        return defaultText;
    }

    /** The range as shown to users ({@code 1–10}, {@code 100ms–1h}), empty for text settings. */
    public String range() {
        return kind.ranged() ? minText + "–" + maxText : "";
    }

    public String description() {
        return description;
    }

    /**
     * Whether a change applies while the server runs. Live settings are read when a stream
     * starts, a session is admitted or checked, a continuous-TS viewer connects, or a restart is
     * decided; the others are bound once, at start (listeners, schedules, the pool, security).
     */
    public Applies applies() {
        return switch (this) {
            case WINDOW_SEGMENTS, SEGMENTS_KEPT_AFTER_WINDOW, INITIAL_SEGMENTS, START_TIMEOUT_SECONDS,
                    STOP_GRACE_SECONDS, MAX_PROCESS_AGE_SECONDS, FAILOVER_FAILURES, FAILOVER_WINDOW_SECONDS,
                    FAILBACK_SECONDS, SESSION_IDLE_SECONDS, MAX_SESSIONS_PER_CHANNEL, IDLE_TIMEOUT_SECONDS,
                    TS_START_SLATE, THROTTLE_MODE, TARGET_BITRATE_BPS, RESTART_LIMIT, RESTART_WINDOW_SECONDS,
                    RESTART_COOLDOWN_SECONDS, HEALTHY_RUN_SECONDS, BREAKER_FAILURES, BREAKER_WINDOW_SECONDS,
                    BREAKER_OPEN_SECONDS -> Applies.LIVE;
            default -> Applies.RESTART_REQUIRED;
        };
    }

    /** The unit of a number ({@code segments}, {@code bit/s}, ...), {@code duration} for durations, else empty. */
    public String unit() {
        if (kind == Kind.DURATION) {
            return "duration";
        }
        if (kind != Kind.INTEGER) {
            return "";
        }
        int suffix = key.lastIndexOf('_');
        return switch (key.substring(suffix + 1)) {
            case "bps" -> "bit/s";
            case "percent" -> "%";
            case "bytes" -> "bytes";
            case "segments" -> "segments";
            case "seconds" -> "s";
            default -> "";
        };
    }

    /** The lowest allowed value as written, empty for text settings. */
    public String min() {
        return kind.ranged() ? minText : "";
    }

    /** The highest allowed value as written, empty for text settings. */
    public String max() {
        return kind.ranged() ? maxText : "";
    }

    /**
     * Parses and checks one value as written in the file or the environment.
     *
     * @return an {@link Integer}, a {@link Duration}, a {@link String}, a {@link Boolean}, an
     *     optional {@link URI}, an optional {@link Secret}, an optional {@link Path} or an optional
     *     {@link RedisAddress}, by kind
     * @throws ConfigException naming the setting, its variable and its range (never its value
     *     when it is a secret)
     */
    public Object parse(String text) {
        String value = text.trim();
        if (value.isEmpty() && (kind == Kind.URL || kind == Kind.SECRET || kind == Kind.PATH
                || kind == Kind.REDIS_URL)) {
            return Optional.empty();
        }
        if (value.isEmpty()) {
            throw new ConfigException("setting " + key + " (" + envVar() + ") is empty", this);
        }
        return switch (kind) {
            case TEXT -> value;
            case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException("setting " + key + " (" + envVar() + ") must be true or false,"
                        + " got '" + value + "'", this);
            };
            case URL -> Optional.of(url(value));
            case REDIS_URL -> {
                try {
                    yield Optional.of(RedisAddress.parse(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("setting " + key + " (" + envVar() + ") " + e.getMessage(), this);
                }
            }
            case PATH -> {
                try {
                    yield Optional.of(Path.of(value));
                } catch (InvalidPathException e) {
                    throw new ConfigException("setting " + key + " (" + envVar() + ") is not a path: "
                            + e.getMessage(), this);
                }
            }
            case SECRET -> {
                try {
                    yield Optional.of(Secret.of(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("setting " + key + " (" + envVar() + ") " + e.getMessage(), this);
                }
            }
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ConfigException("setting " + key + " (" + envVar() + ") must be a whole number, got '"
                            + value + "'", this);
                }
                if (n < Long.parseLong(minText) || n > Long.parseLong(maxText)) {
                    throw outOfRange(value);
                }
                yield (int) n;
            }
            case DURATION -> {
                Duration d = Durations.parse(value).orElseThrow(() -> new ConfigException("setting " + key + " ("
                        + envVar() + ") must be a duration such as 500ms, 30s, 5m or 2h (a bare number is seconds),"
                        + " got '" + value + "'", this));
                if (d.compareTo(Durations.parse(minText).orElseThrow()) < 0
                        || d.compareTo(Durations.parse(maxText).orElseThrow()) > 0) {
                    throw outOfRange(value);
                }
                yield d;
            }
        };
    }

    private URI url(String value) {
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new ConfigException("setting " + key + " (" + envVar() + ") must be an http or https URL with a host"
                    + " and no query, such as https://tv.example.com, got '" + Secrets.mask(value) + "'", this);
        }
        return uri;
    }

    private ConfigException outOfRange(String value) {
        return new ConfigException("setting " + key + " (" + envVar() + ") must be between " + minText + " and "
                + maxText + ", got " + value, this);
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key.toLowerCase(Locale.ROOT))).findFirst();
    }
}
