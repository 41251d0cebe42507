package dev.headend.config;

import dev.headend.channel.GuideSettings;
import dev.headend.cluster.ClusterSettings;
import dev.headend.cluster.RedisAddress;
import dev.headend.channel.ThrottleMode;
import dev.headend.channel.ThrottleSettings;
import dev.headend.events.Backoff;
import dev.headend.events.EventSettings;
import dev.headend.pipeline.PoolLimits;
import dev.headend.relay.RelaySettings;
import dev.headend.resilience.RestartPolicy;
import dev.headend.security.RelayTokens;
import dev.headend.security.Secret;
import dev.headend.security.SecuritySettings;
import dev.headend.security.Secrets;
import dev.headend.session.SessionSettings;
import dev.headend.stream.Failover;
import dev.headend.stream.StreamSettings;
import dev.headend.web.HttpSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The resolved value of every {@link Setting}, where each came from, and the settings record of
 * each component bound from them (each setting is read by exactly one binding). Immutable; two
 * instances are equal when every value is.
 *
 * <p>Precedence: a value set through the API, then the environment variable, then the file's
 * {@code server:} section, then the default. The written text of each source is kept, so the
 * same sources can be resolved again with other API values or another file.
 */
public final class ServerSettings {
    private static final Pattern ORIGIN = Pattern.compile("(?i)https?://([a-z0-9.-]+|\\[[0-9a-f:.]+])(:[0-9]{1,5})?");
    /** Where a value comes from, from the weakest to the strongest. */
    public enum Origin {
        DEFAULT, FILE, ENVIRONMENT, API;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Setting, String> file;
    private final Map<Setting, String> environment;
    private final Map<Setting, String> api;
    private final Map<Setting, Object> values;
    private final Map<Setting, Origin> origins;

    private ServerSettings(Map<Setting, String> file, Map<Setting, String> environment, Map<Setting, String> api,
            Map<Setting, Object> values, Map<Setting, Origin> origins) {
        this.file = file;
        this.environment = environment;
        this.api = api;
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
    }

    /** Defaults for every setting. */
    public static ServerSettings defaults() {
        return resolve(Map.of(), Map.of());
    }

    /** Settings from raw values as written in a file; missing ones take their default. */
    public static ServerSettings from(Map<Setting, String> file) {
        return resolve(file, Map.of());
    }

    /**
     * Resolves every setting: the environment's value, else the file's, else the default.
     *
     * @throws ConfigException naming the setting when a value is malformed or out of range
     */
    public static ServerSettings resolve(Map<Setting, String> file, Map<Setting, String> environment) {
        return resolve(file, environment, Map.of());
    }

    /**
     * Resolves every setting: the value set through the API, else the environment's, else the
     * file's, else the default.
     *
     * @throws ConfigException naming the setting when a value is malformed or out of range, or
     *     when values contradict each other
     */
    public static ServerSettings resolve(Map<Setting, String> file, Map<Setting, String> environment,
            Map<Setting, String> api) {
        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        Map<Setting, Origin> origins = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Origin origin = api.containsKey(s) ? Origin.API : environment.containsKey(s) ? Origin.ENVIRONMENT
                    : file.containsKey(s) ? Origin.FILE : Origin.DEFAULT;
            String text = switch (origin) {
                case API -> api.get(s);
                case ENVIRONMENT -> environment.get(s);
                case FILE -> file.get(s);
                case DEFAULT -> s.defaultText();
            };
            values.put(s, check(s, s.parse(text)));
            origins.put(s, origin);
        }
        if ((Integer) values.get(Setting.INITIAL_SEGMENTS) > (Integer) values.get(Setting.WINDOW_SEGMENTS)) {
            throw new ConfigException("setting " + Setting.INITIAL_SEGMENTS.key() + " ("
                    + Setting.INITIAL_SEGMENTS.envVar() + ") must be at most " + Setting.WINDOW_SEGMENTS.key() + " ("
                    + values.get(Setting.WINDOW_SEGMENTS) + "), got " + values.get(Setting.INITIAL_SEGMENTS),
                    Setting.INITIAL_SEGMENTS);
        }
        if ((Boolean) values.get(Setting.SSDP_DISCOVERY) && ((Optional<?>) values.get(Setting.PLAYBACK_SECRET))
                .isPresent()) {
            throw new ConfigException("setting " + Setting.SSDP_DISCOVERY.key() + " cannot be used with "
                    + Setting.PLAYBACK_SECRET.key() + ": the announcement would give the playback token to anyone on"
                    + " the network; add the tuner to media servers by its address instead", Setting.SSDP_DISCOVERY);
        }
        return new ServerSettings(copy(file), copy(environment), copy(api), values, origins);
    }

    /**
     * Parses and checks one value as written, with the checks that go beyond its kind and range
     * (the origins of {@code cors_origins}, the mode of {@code throttle_mode}).
     *
     * @throws ConfigException naming the setting
     */
    public static Object parse(Setting s, String text) {
        return check(s, s.parse(text));
    }

    private static Object check(Setting s, Object value) {
        switch (s) {
            case CORS_ORIGINS -> corsOrigins((String) value);
            case THROTTLE_MODE -> throttleMode((String) value);
            case GUIDE_TIME_ZONE -> guideTimeZone((String) value);
            case NODE_ID -> nodeId((String) value);
            default -> { }
        }
        return value;
    }

    private static Map<Setting, String> copy(Map<Setting, String> texts) {
        return texts.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(texts));
    }

    /**
     * These sources with {@code api} as the values set through the API.
     *
     * @throws ConfigException as {@link #resolve(Map, Map, Map)}
     */
    public ServerSettings withApi(Map<Setting, String> api) {
        return resolve(file, environment, api);
    }

    /** The values set through the API, as written. */
    public Map<Setting, String> api() {
        return api;
    }

    /**
     * The settings a running server uses when these are wanted and it started with {@code
     * started}: live settings take this value, the others keep the one it started with.
     */
    public ServerSettings liveOnto(ServerSettings started) {
        Map<Setting, String> f = new EnumMap<>(Setting.class);
        Map<Setting, String> e = new EnumMap<>(Setting.class);
        Map<Setting, String> a = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            ServerSettings source = s.applies() == Setting.Applies.LIVE ? this : started;
            Optional.ofNullable(source.file.get(s)).ifPresent(t -> f.put(s, t));
            Optional.ofNullable(source.environment.get(s)).ifPresent(t -> e.put(s, t));
            Optional.ofNullable(source.api.get(s)).ifPresent(t -> a.put(s, t));
        }
        return resolve(f, e, a);
    }

    /** The value as written where it comes from (the default's text for a default); a secret's is masked. */
    public String text(Setting s) {
        if (s.kind() == Setting.Kind.SECRET) {
            return Secrets.MASK;
        }
        if (s.kind() == Setting.Kind.REDIS_URL) {
            return optional(s, RedisAddress.class).map(RedisAddress::toString).orElse("");
        }
        return switch (origins.get(s)) {
            case API -> api.get(s);
            case ENVIRONMENT -> environment.get(s);
            case FILE -> file.get(s);
            case DEFAULT -> s.defaultText();
        };
    }

    /**
     * The strongest source below the one in effect that also sets the setting (the environment
     * or the file an API value overrides, the file an environment variable overrides).
     */
    public Optional<Origin> overrides(Setting s) {
        return switch (origins.get(s)) {
            case API -> environment.containsKey(s) ? Optional.of(Origin.ENVIRONMENT)
                    : file.containsKey(s) ? Optional.of(Origin.FILE) : Optional.empty();
            case ENVIRONMENT -> file.containsKey(s) ? Optional.of(Origin.FILE) : Optional.empty();
            case FILE, DEFAULT -> Optional.empty();
        };
    }

    /** The value, of the type {@link Setting#parse} gives for the setting's kind. */
    public Object value(Setting s) {
        return values.get(s);
    }

    public Origin origin(Setting s) {
        return origins.get(s);
    }

    /** The settings whose value differs in {@code other}, in definition order. */
    public List<Setting> differences(ServerSettings other) {
        return Arrays.stream(Setting.values()).filter(s -> !values.get(s).equals(other.values.get(s))).toList();
    }

    public HttpSettings http() {
        return new HttpSettings(string(Setting.BIND), integer(Setting.PORT), optional(Setting.PUBLIC_URL, URI.class),
                corsOrigins(string(Setting.CORS_ORIGINS)));
    }

    public SecuritySettings security() {
        return new SecuritySettings(optional(Setting.ADMIN_TOKEN, Secret.class),
                (Boolean) values.get(Setting.METRICS_PUBLIC), optional(Setting.PLAYBACK_SECRET, Secret.class),
                duration(Setting.SIGNED_URL_SECONDS));
    }

    /**
     * The allowed origins of {@code cors_origins}: {@code *} alone, or origins such as {@code
     * https://tv.example.com} or {@code http://192.168.1.5:8080} (scheme, host, optional port).
     */
    private static List<String> corsOrigins(String text) {
        List<String> origins = Arrays.stream(text.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (origins.equals(List.of("*"))) {
            return origins;
        }
        for (String origin : origins) {
            if (!ORIGIN.matcher(origin).matches()) {
                throw new ConfigException("setting " + Setting.CORS_ORIGINS.key() + " ("
                        + Setting.CORS_ORIGINS.envVar() + ") must be * or origins such as https://tv.example.com,"
                        + " comma-separated; '" + origin + "' is not one");
            }
        }
        if (origins.isEmpty()) {
            throw new ConfigException("setting " + Setting.CORS_ORIGINS.key() + " (" + Setting.CORS_ORIGINS.envVar()
                    + ") names no origin");
        }
        return origins;
    }

    public Path dataDir() {
        return Path.of(string(Setting.DATA_DIR));
    }

    /** Where running streams' HLS output is mirrored; empty when it is not. */
    public Optional<Path> hlsMirrorDir() {
        return optional(Setting.HLS_MIRROR_DIR, Path.class);
    }

    public String ffmpeg() {
        return string(Setting.FFMPEG);
    }

    public StreamSettings streams() {
        return new StreamSettings(integer(Setting.SEGMENT_SECONDS), integer(Setting.WINDOW_SEGMENTS),
                integer(Setting.SEGMENTS_KEPT_AFTER_WINDOW), integer(Setting.INITIAL_SEGMENTS),
                duration(Setting.START_TIMEOUT_SECONDS), duration(Setting.SWEEP_INTERVAL_SECONDS),
                duration(Setting.STOP_GRACE_SECONDS), duration(Setting.MAX_PROCESS_AGE_SECONDS),
                new Failover(integer(Setting.FAILOVER_FAILURES), duration(Setting.FAILOVER_WINDOW_SECONDS),
                        duration(Setting.FAILBACK_SECONDS)));
    }

    public SessionSettings sessions() {
        return new SessionSettings(duration(Setting.SESSION_IDLE_SECONDS), integer(Setting.MAX_SESSIONS_PER_CHANNEL),
                duration(Setting.IDLE_TIMEOUT_SECONDS), duration(Setting.CLEANUP_INTERVAL_SECONDS));
    }

    /** Whether continuous-TS viewers of a channel that cannot start get the slate (a channel may override it). */
    public boolean tsStartSlate() {
        return (Boolean) values.get(Setting.TS_START_SLATE);
    }

    public ThrottleSettings throttle() {
        return new ThrottleSettings(throttleMode(string(Setting.THROTTLE_MODE)), integer(Setting.TARGET_BITRATE_BPS));
    }

    private static ThrottleMode throttleMode(String text) {
        return ThrottleMode.parse(text).orElseThrow(() -> new ConfigException("setting "
                + Setting.THROTTLE_MODE.key() + " (" + Setting.THROTTLE_MODE.envVar() + ") must be one of "
                + ThrottleMode.choices() + ", got '" + text + "'"));
    }

    public GuideSettings guide() {
        return new GuideSettings(Duration.ofHours(integer(Setting.GUIDE_HOURS)),
                guideTimeZone(string(Setting.GUIDE_TIME_ZONE)));
    }

    /** {@code system} or a time zone id. */
    private static ZoneId guideTimeZone(String text) {
        if (text.equals("system")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new ConfigException("setting " + Setting.GUIDE_TIME_ZONE.key() + " ("
                    + Setting.GUIDE_TIME_ZONE.envVar() + ") must be system or a time zone id such as Europe/Paris, got '"
                    + text + "'");
        }
    }

    /** The node's cluster settings; empty when no Redis is set (a single node). */
    public Optional<ClusterSettings> cluster() {
        return optional(Setting.REDIS_URL, RedisAddress.class).map(redis -> new ClusterSettings(redis,
                optional(Setting.NODE_URL, URI.class), string(Setting.NODE_ID), duration(Setting.LEASE_TTL_SECONDS),
                (Boolean) values.get(Setting.CLUSTER_REDIRECT), optional(Setting.CLUSTER_SECRET, Secret.class)));
    }

    private static void nodeId(String text) {
        if (!text.matches(ClusterSettings.ID_PATTERN)) {
            throw new ConfigException("setting " + Setting.NODE_ID.key() + " (" + Setting.NODE_ID.envVar()
                    + ") must be auto or 1-64 of A-Z, a-z, 0-9, '.', '_' and '-', got '" + text + "'", Setting.NODE_ID);
        }
    }

    /** Whether the emulated tuner answers SSDP searches. */
    public boolean ssdpDiscovery() {
        return (Boolean) values.get(Setting.SSDP_DISCOVERY);
    }

    public PoolLimits pool() {
        return PoolLimits.of(integer(Setting.MAX_PROCESSES), integer(Setting.SPAWNS_PER_SECOND),
                integer(Setting.MEMORY_GUARD_PERCENT), integer(Setting.MIN_FREE_FDS));
    }

    public RestartPolicy.Config restarts() {
        return new RestartPolicy.Config(integer(Setting.RESTART_LIMIT), duration(Setting.RESTART_WINDOW_SECONDS),
                duration(Setting.RESTART_COOLDOWN_SECONDS), duration(Setting.HEALTHY_RUN_SECONDS),
                integer(Setting.BREAKER_FAILURES), duration(Setting.BREAKER_WINDOW_SECONDS),
                duration(Setting.BREAKER_OPEN_SECONDS));
    }

    public EventSettings events() {
        return new EventSettings(duration(Setting.WEBHOOK_GIVE_UP_SECONDS),
                new Backoff(EventSettings.FIRST_RETRY, duration(Setting.WEBHOOK_BACKOFF_MAX_SECONDS)),
                integer(Setting.EVENT_LISTENER_QUEUE));
    }

    public RelaySettings relay() {
        return new RelaySettings(integer(Setting.RELAY_MAX_FRAME_BYTES), duration(Setting.RELAY_STALL_SECONDS),
                duration(Setting.RELAY_END_SECONDS), duration(Setting.RELAY_SEND_TIMEOUT_SECONDS),
                duration(Setting.RELAY_PING_SECONDS), duration(Setting.RELAY_PONG_TIMEOUT_SECONDS));
    }

    public RelayTokens relayTokens() {
        return new RelayTokens(optional(Setting.RELAY_PUBLISH_SECRET, Secret.class),
                optional(Setting.RELAY_WATCH_TOKEN, Secret.class));
    }

    private int integer(Setting s) {
        return (Integer) values.get(s);
    }

    private Duration duration(Setting s) {
        return (Duration) values.get(s);
    }

    private String string(Setting s) {
        return (String) values.get(s);
    }

    private <T> Optional<T> optional(Setting s, Class<T> type) {
        return ((Optional<?>) values.get(s)).map(type::cast);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerSettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ServerSettings" + values; // secrets print as Secret[***]
    }
}
