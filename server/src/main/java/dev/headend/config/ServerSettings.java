package dev.headend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
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
        Duration stopGrace,
        int maxProcesses,
        int spawnsPerSecond,
        int memoryGuardPercent,
        int minFreeFds,
        Duration maxProcessAge,
        int restartLimit,
        Duration restartWindow,
        Duration restartCooldown,
        Duration healthyRun,
        int breakerFailures,
        Duration breakerWindow,
        Duration breakerOpen,
        int failoverFailures,
        Duration failoverWindow,
        Duration failback) {

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
                seconds(v, Setting.START_TIMEOUT_SECONDS),
                seconds(v, Setting.SESSION_IDLE_SECONDS),
                seconds(v, Setting.SWEEP_INTERVAL_SECONDS),
                seconds(v, Setting.STOP_GRACE_SECONDS),
                num(v, Setting.MAX_PROCESSES),
                num(v, Setting.SPAWNS_PER_SECOND),
                num(v, Setting.MEMORY_GUARD_PERCENT),
                num(v, Setting.MIN_FREE_FDS),
                seconds(v, Setting.MAX_PROCESS_AGE_SECONDS),
                num(v, Setting.RESTART_LIMIT),
                seconds(v, Setting.RESTART_WINDOW_SECONDS),
                seconds(v, Setting.RESTART_COOLDOWN_SECONDS),
                seconds(v, Setting.HEALTHY_RUN_SECONDS),
                num(v, Setting.BREAKER_FAILURES),
                seconds(v, Setting.BREAKER_WINDOW_SECONDS),
                seconds(v, Setting.BREAKER_OPEN_SECONDS),
                num(v, Setting.FAILOVER_FAILURES),
                seconds(v, Setting.FAILOVER_WINDOW_SECONDS),
                seconds(v, Setting.FAILBACK_SECONDS));
    }

    /** The resolved value of one setting (the switch is exhaustive: a new setting must be added here). */
    public Object value(Setting s) {
        return switch (s) {
            case PORT -> port;
            case BIND -> bind;
            case DATA_DIR -> dataDir;
            case FFMPEG -> ffmpeg;
            case SEGMENT_SECONDS -> segmentSeconds;
            case WINDOW_SEGMENTS -> windowSegments;
            case START_TIMEOUT_SECONDS -> startTimeout;
            case SESSION_IDLE_SECONDS -> sessionIdle;
            case SWEEP_INTERVAL_SECONDS -> sweepInterval;
            case STOP_GRACE_SECONDS -> stopGrace;
            case MAX_PROCESSES -> maxProcesses;
            case SPAWNS_PER_SECOND -> spawnsPerSecond;
            case MEMORY_GUARD_PERCENT -> memoryGuardPercent;
            case MIN_FREE_FDS -> minFreeFds;
            case MAX_PROCESS_AGE_SECONDS -> maxProcessAge;
            case RESTART_LIMIT -> restartLimit;
            case RESTART_WINDOW_SECONDS -> restartWindow;
            case RESTART_COOLDOWN_SECONDS -> restartCooldown;
            case HEALTHY_RUN_SECONDS -> healthyRun;
            case BREAKER_FAILURES -> breakerFailures;
            case BREAKER_WINDOW_SECONDS -> breakerWindow;
            case BREAKER_OPEN_SECONDS -> breakerOpen;
            case FAILOVER_FAILURES -> failoverFailures;
            case FAILOVER_WINDOW_SECONDS -> failoverWindow;
            case FAILBACK_SECONDS -> failback;
        };
    }

    /** The settings whose value differs in {@code other}, in definition order. */
    public List<Setting> differences(ServerSettings other) {
        return Arrays.stream(Setting.values()).filter(s -> !value(s).equals(other.value(s))).toList();
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

    private static Duration seconds(Map<Setting, String> v, Setting s) {
        return Duration.ofSeconds(num(v, s));
    }
}
