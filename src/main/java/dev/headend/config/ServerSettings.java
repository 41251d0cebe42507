package dev.headend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** Resolved server settings; build with {@link #from(Map)}, which validates every value. */
public record ServerSettings(
        int port,
        String bind,
        Path dataDir,
        String ffmpeg,
        int segmentSeconds,
        int windowSegments,
        Duration startTimeout,
        Duration sessionIdle,
        Duration sweepInterval,
        int restartAttempts,
        Duration stopGrace) {

    /** Defaults for every setting. */
    public static ServerSettings defaults() {
        return from(Map.of());
    }

    /**
     * Resolves settings from raw values keyed by setting; missing ones take their default.
     *
     * @throws ConfigException naming the setting when a value is malformed or out of range
     */
    public static ServerSettings from(Map<Setting, String> raw) {
        Map<Setting, String> v = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String value = raw.getOrDefault(s, s.defaultValue()).trim();
            if (value.isEmpty()) {
                throw new ConfigException("setting " + s.key() + " (" + s.envVar() + ") is empty");
            }
            if (s.numeric()) {
                checkRange(s, value);
            }
            v.put(s, value);
        }
        return new ServerSettings(
                num(v, Setting.PORT),
                v.get(Setting.BIND),
                Path.of(v.get(Setting.DATA_DIR)),
                v.get(Setting.FFMPEG),
                num(v, Setting.SEGMENT_SECONDS),
                num(v, Setting.WINDOW_SEGMENTS),
                Duration.ofSeconds(num(v, Setting.START_TIMEOUT_SECONDS)),
                Duration.ofSeconds(num(v, Setting.SESSION_IDLE_SECONDS)),
                Duration.ofSeconds(num(v, Setting.SWEEP_INTERVAL_SECONDS)),
                num(v, Setting.RESTART_ATTEMPTS),
                Duration.ofSeconds(num(v, Setting.STOP_GRACE_SECONDS)));
    }

    private static void checkRange(Setting s, String value) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("setting " + s.key() + " (" + s.envVar() + ") must be a whole number, got '"
                    + value + "'");
        }
        if (n < s.min() || n > s.max()) {
            throw new ConfigException("setting " + s.key() + " (" + s.envVar() + ") must be between " + s.min()
                    + " and " + s.max() + ", got " + n);
        }
    }

    private static int num(Map<Setting, String> v, Setting s) {
        return Integer.parseInt(v.get(s));
    }
}
