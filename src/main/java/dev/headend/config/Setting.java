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
    DATA_DIR("data_dir", "./data", 0, 0, "directory for generated files (demo clip, test-pattern captions)"),
    FFMPEG("ffmpeg", "ffmpeg", 0, 0, "FFmpeg executable (name on PATH or absolute path)"),
    SEGMENT_SECONDS("segment_seconds", "1", 1, 10, "target segment duration in seconds"),
    WINDOW_SEGMENTS("window_segments", "6", 2, 30, "segments listed in a live playlist"),
    START_TIMEOUT_SECONDS("start_timeout_seconds", "20", 1, 300,
            "how long a playlist request or ?wait=ready waits for the first segment"),
    SESSION_IDLE_SECONDS("session_idle_seconds", "15", 2, 3600,
            "an HLS session ends after this long without a request"),
    SWEEP_INTERVAL_SECONDS("sweep_interval_seconds", "60", 1, 3600,
            "interval of the sweep that ends stalled or dead streams"),
    RESTART_ATTEMPTS("restart_attempts", "3", 0, 100,
            "consecutive restarts of a failing pipeline before the stream is marked failed"),
    STOP_GRACE_SECONDS("stop_grace_seconds", "5", 1, 60,
            "time between SIGTERM and SIGKILL when a pipeline is stopped");

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
