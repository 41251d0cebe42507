package dev.headend.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every server setting, defined exactly once: its YAML key (under {@code server:}), its
 * environment variable, its default and its allowed range. The README reference table
 * mirrors this enum (a test keeps them in step).
 */
public enum Setting {
    PORT("port", "8080", 0, 65535, "HTTP port (0 picks a free port)"),
    BIND("bind", "127.0.0.1", 0, 0, "address the HTTP server listens on"),
    DATA_DIR("data_dir", "./data", 0, 0, "directory for generated files (test-pattern captions, slate work files)"),
    FFMPEG("ffmpeg", "ffmpeg", 0, 0, "FFmpeg executable (name on PATH or absolute path); ffprobe, which probes"
            + " a channel's format for its slate, is run from beside it"),
    SEGMENT_SECONDS("segment_seconds", "1", 1, 10, "target segment duration in seconds"),
    WINDOW_SEGMENTS("window_segments", "6", 2, 30, "segments listed in a live playlist"),
    START_TIMEOUT_SECONDS("start_timeout_seconds", "20", 1, 300,
            "how long a playlist request or ?wait=ready waits for the first segment"),
    SESSION_IDLE_SECONDS("session_idle_seconds", "15", 2, 3600,
            "an HLS session ends after this long without a request"),
    SWEEP_INTERVAL_SECONDS("sweep_interval_seconds", "60", 1, 3600,
            "interval of the sweep that ends stalled or dead streams"),
    STOP_GRACE_SECONDS("stop_grace_seconds", "5", 1, 60,
            "time between SIGTERM and SIGKILL when a pipeline is stopped"),
    MAX_PROCESSES("max_processes", "64", 1, 10_000,
            "cap on FFmpeg processes; lowered at run time when memory or file descriptors run short"),
    SPAWNS_PER_SECOND("spawns_per_second", "5", 1, 1_000, "spawn rate limit (token bucket, burst of the same size)"),
    MEMORY_GUARD_PERCENT("memory_guard_percent", "85", 10, 100,
            "no new pipeline while system memory use is at or above this percentage"),
    MIN_FREE_FDS("min_free_fds", "100", 0, 1_000_000,
            "no new pipeline while fewer file descriptors than this are free"),
    MAX_PROCESS_AGE_SECONDS("max_process_age_seconds", "86400", 5, 31_536_000,
            "a pipeline running longer is replaced seamlessly (long-run guard)"),
    RESTART_LIMIT("restart_limit", "10", 1, 10_000, "global throttle: restarts allowed in any restart window"),
    RESTART_WINDOW_SECONDS("restart_window_seconds", "60", 1, 3_600, "the global throttle's window"),
    RESTART_COOLDOWN_SECONDS("restart_cooldown_seconds", "30", 0, 3_600,
            "minimum time between two restarts of one channel"),
    HEALTHY_RUN_SECONDS("healthy_run_seconds", "30", 1, 86_400,
            "a run healthy this long is restarted at once when it fails (no cooldown)"),
    BREAKER_FAILURES("breaker_failures", "5", 1, 1_000, "failures within the breaker window that open the circuit"),
    BREAKER_WINDOW_SECONDS("breaker_window_seconds", "300", 1, 86_400, "the circuit breaker's failure window"),
    BREAKER_OPEN_SECONDS("breaker_open_seconds", "120", 1, 86_400,
            "how long an open circuit holds restarts before one half-open attempt"),
    FAILOVER_FAILURES("failover_failures", "3", 1, 100,
            "failures of a source within the failover window that move the channel to its next source"),
    FAILOVER_WINDOW_SECONDS("failover_window_seconds", "300", 1, 86_400, "the failover failure window"),
    FAILBACK_SECONDS("failback_seconds", "300", 5, 86_400,
            "a channel on a fallback source tries its first source again after this long stable");

    private final String key;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String description;

    Setting(String key, String defaultValue, long min, long max, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String envVar() {
        return "HEADEND_" + name();
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** True when the setting is a whole number checked against {@link #min()}..{@link #max()}. */
    public boolean numeric() {
        return max > 0;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public String description() {
        return description;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key.toLowerCase(Locale.ROOT))).findFirst();
    }
}
