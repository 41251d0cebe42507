package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.GuideSettings;
import dev.headend.channel.ThrottleMode;
import dev.headend.channel.ThrottleSettings;
import dev.headend.pipeline.PoolLimits;
import dev.headend.resilience.RestartPolicy;
import dev.headend.security.SecuritySettings;
import dev.headend.session.SessionSettings;
import dev.headend.stream.Failover;
import dev.headend.stream.StreamSettings;
import dev.headend.support.Project;
import dev.headend.web.HttpSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    @Test
    void defaultsBindToEachComponentsSettings() {
        ServerSettings d = ServerSettings.defaults();

        assertThat(d.http()).isEqualTo(new HttpSettings("127.0.0.1", 8080, Optional.empty(), List.of("*")));
        assertThat(d.security()).isEqualTo(new SecuritySettings(Optional.empty(), false, Optional.empty(),
                Duration.ofHours(24)));
        assertThat(d.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(d.ffmpeg()).isEqualTo("ffmpeg");
        assertThat(d.streams()).isEqualTo(new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofHours(24),
                new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))));
        assertThat(d.sessions()).isEqualTo(new SessionSettings(Duration.ofSeconds(15), 50, Duration.ofSeconds(300),
                Duration.ofSeconds(60)));
        assertThat(d.throttle()).isEqualTo(new ThrottleSettings(ThrottleMode.BURST, 0));
        assertThat(d.pool()).isEqualTo(PoolLimits.of(64, 5, 85, 100));
        assertThat(d.restarts()).isEqualTo(new RestartPolicy.Config(10, Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 5, Duration.ofSeconds(300), Duration.ofSeconds(120)));
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000", "30, 30000",
            "' 45 s ', 45000"})
    void durationsAreWrittenWithAUnitOrInSeconds(String text, long millis) {
        ServerSettings s = ServerSettings.from(Map.of(Setting.BREAKER_WINDOW_SECONDS, text));

        assertThat(s.restarts().breakerWindow()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SEGMENT_SECONDS | 11 | setting segment_seconds (HEADEND_SEGMENT_SECONDS) must be between 1 and 10, got 11",
            "SEGMENT_SECONDS | 1.5 | setting segment_seconds (HEADEND_SEGMENT_SECONDS) must be a whole number, got '1.5'",
            "BREAKER_OPEN_SECONDS | 50ms | setting breaker_open_seconds (HEADEND_BREAKER_OPEN_SECONDS) must be between"
                    + " 100ms and 1d, got 50ms",
            "STOP_GRACE_SECONDS | 2min | setting stop_grace_seconds (HEADEND_STOP_GRACE_SECONDS) must be a duration"
                    + " such as 500ms, 30s, 5m or 2h (a bare number is seconds), got '2min'",
            "BIND | ' ' | setting bind (HEADEND_BIND) is empty",
            "METRICS_PUBLIC | yes | setting metrics_public (HEADEND_METRICS_PUBLIC) must be true or false, got 'yes'",
            "PUBLIC_URL | ftp://tv.example.com | setting public_url (HEADEND_PUBLIC_URL) must be an http or https URL"
                    + " with a host and no query, such as https://tv.example.com, got 'ftp://tv.example.com'",
            "PUBLIC_URL | https://tv.example.com/?a=1 | setting public_url (HEADEND_PUBLIC_URL) must be an http or"
                    + " https URL with a host and no query, such as https://tv.example.com, got"
                    + " 'https://tv.example.com/?a=1'",
            "PUBLIC_URL | https://admin:pw@tv.example.com | setting public_url (HEADEND_PUBLIC_URL) must be an http"
                    + " or https URL with a host and no query, such as https://tv.example.com, got"
                    + " 'https://***@tv.example.com'",
            "ADMIN_TOKEN | short-secret | setting admin_token (HEADEND_ADMIN_TOKEN) must be at least 16 characters"
                    + " long",
            "PLAYBACK_SECRET | short-secret | setting playback_secret (HEADEND_PLAYBACK_SECRET) must be at least 16"
                    + " characters long",
            "CORS_ORIGINS | https://a.example/path | setting cors_origins (HEADEND_CORS_ORIGINS) must be * or"
                    + " origins such as https://tv.example.com, comma-separated; 'https://a.example/path' is not one",
            "CORS_ORIGINS | ' , ' | setting cors_origins (HEADEND_CORS_ORIGINS) names no origin",
            "THROTTLE_MODE | fast | setting throttle_mode (HEADEND_THROTTLE_MODE) must be one of realtime, burst,"
                    + " adaptive, disabled, got 'fast'",
            "TARGET_BITRATE_BPS | -1 | setting target_bitrate_bps (HEADEND_TARGET_BITRATE_BPS) must be between 0 and"
                    + " 1000000000, got -1",
            "TARGET_BITRATE_BPS | 5M | setting target_bitrate_bps (HEADEND_TARGET_BITRATE_BPS) must be a whole"
                    + " number, got '5M'",
            "GUIDE_HOURS | 0 | setting guide_hours (HEADEND_GUIDE_HOURS) must be between 1 and 336, got 0",
            "GUIDE_TIME_ZONE | Mars/Olympus | setting guide_time_zone (HEADEND_GUIDE_TIME_ZONE) must be system or a"
                    + " time zone id such as Europe/Paris, got 'Mars/Olympus'",
            "SSDP_DISCOVERY | on | setting ssdp_discovery (HEADEND_SSDP_DISCOVERY) must be true or false, got 'on'"})
    void badValuesAreRefusedNamingTheSettingAndItsRange(String setting, String value, String message) {
        assertThatThrownBy(() -> ServerSettings.from(Map.of(Setting.valueOf(setting), value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void theGuideReachesItsHoursAheadInTheSystemZoneUnlessOneIsGiven() {
        assertThat(ServerSettings.defaults().guide())
                .isEqualTo(new GuideSettings(Duration.ofHours(24), ZoneId.systemDefault()));
        assertThat(ServerSettings.from(Map.of(Setting.GUIDE_HOURS, "48", Setting.GUIDE_TIME_ZONE, "Europe/Paris"))
                .guide()).isEqualTo(new GuideSettings(Duration.ofHours(48), ZoneId.of("Europe/Paris")));
        assertThat(ServerSettings.defaults().ssdpDiscovery()).isFalse();
    }

    @Test
    void aTimeZoneWrittenWithSpacesAroundItIsTheZone() {
        assertThat(ServerSettings.resolve(Map.of(), Map.of(Setting.GUIDE_TIME_ZONE, " UTC ")).guide().timeZone())
                .isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void ssdpDiscoveryIsRefusedWithPlaybackProtectionAsItWouldAnnounceTheToken() {
        assertThatThrownBy(() -> ServerSettings.from(Map.of(Setting.SSDP_DISCOVERY, "true",
                Setting.PLAYBACK_SECRET, "a-secret-of-sixteen-characters")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting ssdp_discovery cannot be used with playback_secret: the announcement would give"
                        + " the playback token to anyone on the network; add the tuner to media servers by its"
                        + " address instead");
        assertThat(ServerSettings.from(Map.of(Setting.SSDP_DISCOVERY, "true")).ssdpDiscovery()).isTrue();
    }

    @Test
    void optionalSettingsAreUnsetWhenEmptyAndSecretsNeverPrint() {
        ServerSettings s = ServerSettings.from(Map.of(Setting.ADMIN_TOKEN, "a-token-of-32-characters-0123456",
                Setting.PUBLIC_URL, "https://tv.example.com/", Setting.CORS_ORIGINS, "https://a.example, http://[::1]:8080",
                Setting.PLAYBACK_SECRET, ""));

        assertThat(s.security().adminToken()).hasValueSatisfying(
                t -> assertThat(t.reveal()).isEqualTo("a-token-of-32-characters-0123456"));
        assertThat(s.security().playbackSecret()).isEmpty();
        assertThat(s.http().publicUrl()).contains(URI.create("https://tv.example.com"));
        assertThat(s.http().corsOrigins()).containsExactly("https://a.example", "http://[::1]:8080");
        assertThat(s.toString()).doesNotContain("a-token-of-32-characters").contains("Secret[***]");
    }

    @Test
    void everyDefaultIsWithinItsOwnRange() {
        for (Setting s : Setting.values()) {
            assertThat(s.parse(s.defaultText())).as(s.key()).isNotNull();
            if (s.kind().ranged()) {
                assertThat(s.parse(min(s))).as(s.key()).isNotNull();
                assertThat(s.parse(max(s))).as(s.key()).isNotNull();
            }
        }
    }

    @Test
    void everyEnvironmentVariableIsTheKeyInCapitals() {
        for (Setting s : Setting.values()) {
            assertThat(s.envVar()).isEqualTo("HEADEND_" + s.key().toUpperCase(Locale.ROOT));
            assertThat(Setting.byKey(s.key())).contains(s);
        }
        assertThat(Arrays.stream(Setting.values()).map(Setting::key).distinct()).hasSize(Setting.values().length);
    }

    @Test
    void theEnvironmentWinsOverTheFileWhichWinsOverTheDefault() {
        ServerSettings s = ServerSettings.resolve(Map.of(Setting.PORT, "9000", Setting.BIND, "0.0.0.0"),
                Map.of(Setting.PORT, "9100"));

        assertThat(s.http()).isEqualTo(HttpSettings.of("0.0.0.0", 9100));
        assertThat(s.origin(Setting.PORT)).isEqualTo(ServerSettings.Origin.ENVIRONMENT);
        assertThat(s.origin(Setting.BIND)).isEqualTo(ServerSettings.Origin.FILE);
        assertThat(s.origin(Setting.FFMPEG)).isEqualTo(ServerSettings.Origin.DEFAULT);
    }

    @Test
    void anApiValueWinsOverTheEnvironmentAndSaysWhatItOverrides() {
        ServerSettings s = ServerSettings.resolve(
                Map.of(Setting.WINDOW_SEGMENTS, "4", Setting.PORT, "9000", Setting.RESTART_LIMIT, "3"),
                Map.of(Setting.WINDOW_SEGMENTS, "5", Setting.PORT, "9100"),
                Map.of(Setting.WINDOW_SEGMENTS, "7", Setting.RESTART_LIMIT, "4", Setting.STOP_GRACE_SECONDS, "2s"));

        assertThat(s.streams().windowSegments()).isEqualTo(7);
        assertThat(s.origin(Setting.WINDOW_SEGMENTS)).isEqualTo(ServerSettings.Origin.API);
        assertThat(s.overrides(Setting.WINDOW_SEGMENTS)).contains(ServerSettings.Origin.ENVIRONMENT);
        assertThat(s.overrides(Setting.RESTART_LIMIT)).contains(ServerSettings.Origin.FILE);
        assertThat(s.overrides(Setting.STOP_GRACE_SECONDS)).isEmpty();
        assertThat(s.origin(Setting.PORT)).isEqualTo(ServerSettings.Origin.ENVIRONMENT);
        assertThat(s.overrides(Setting.PORT)).contains(ServerSettings.Origin.FILE);
        assertThat(s.text(Setting.STOP_GRACE_SECONDS)).isEqualTo("2s");
        assertThat(s.text(Setting.FFMPEG)).isEqualTo("ffmpeg");
        assertThat(s.withApi(Map.of()).streams().windowSegments()).isEqualTo(5);
    }

    @Test
    void initialSegmentsMustFitTheWindow() {
        assertThatThrownBy(() -> ServerSettings.from(Map.of(Setting.WINDOW_SEGMENTS, "3",
                Setting.INITIAL_SEGMENTS, "4")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting initial_segments (HEADEND_INITIAL_SEGMENTS) must be at most window_segments (3),"
                        + " got 4")
                .extracting(e -> ((ConfigException) e).setting()).isEqualTo(Optional.of(Setting.INITIAL_SEGMENTS));
    }

    @Test
    void onlyLiveSettingsTakeTheWantedValueWhileTheServerRuns() {
        ServerSettings started = ServerSettings.from(Map.of(Setting.PORT, "9000"));
        ServerSettings wanted = started.withApi(Map.of(Setting.PORT, "9100", Setting.WINDOW_SEGMENTS, "9",
                Setting.THROTTLE_MODE, "realtime", Setting.CLEANUP_INTERVAL_SECONDS, "5s"));

        ServerSettings running = wanted.liveOnto(started);

        assertThat(started.differences(running)).containsExactly(Setting.WINDOW_SEGMENTS, Setting.THROTTLE_MODE);
        assertThat(running.http().port()).isEqualTo(9000);
        assertThat(running.sessions().cleanupInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(Setting.WINDOW_SEGMENTS.applies()).isEqualTo(Setting.Applies.LIVE);
        assertThat(Setting.PORT.applies()).isEqualTo(Setting.Applies.RESTART_REQUIRED);
        assertThat(Setting.ADMIN_TOKEN.applies()).isEqualTo(Setting.Applies.RESTART_REQUIRED);
    }

    @Test
    void differencesNameEachChangedSettingInDefinitionOrder() {
        ServerSettings base = ServerSettings.defaults();
        ServerSettings changed = ServerSettings.from(Map.of(Setting.WINDOW_SEGMENTS, "8", Setting.PORT, "9090",
                Setting.FAILBACK_SECONDS, "5m"));

        assertThat(base.differences(changed)).containsExactly(Setting.PORT, Setting.WINDOW_SEGMENTS);
        assertThat(changed.differences(base)).containsExactly(Setting.PORT, Setting.WINDOW_SEGMENTS);
        assertThat(base.differences(ServerSettings.defaults())).isEmpty();
        assertThat(changed).isNotEqualTo(base);
    }

    @Test
    void everySettingIsBoundAndHasAValueOfItsOwn() {
        for (Setting s : Setting.values()) {
            String other = switch (s.kind()) {
                case TEXT -> switch (s) {
                    case CORS_ORIGINS -> "https://tv.example.com";
                    case THROTTLE_MODE -> "realtime";
                    case GUIDE_TIME_ZONE -> "Pacific/Chatham";
                    case NODE_ID -> "node-a";
                    default -> "/other";
                };
                case BOOLEAN -> s.defaultText().equals("true") ? "false" : "true";
                case URL -> "https://tv.example.com";
                case REDIS_URL -> "redis://127.0.0.1:6379";
                case PATH -> "/srv/mirror";
                case SECRET -> "a-secret-of-sixteen-characters";
                case INTEGER, DURATION -> s == Setting.INITIAL_SEGMENTS ? "2" // at most the window, 6
                        : s.parse(s.defaultText()).equals(s.parse(min(s))) ? max(s) : min(s);
            };
            // the cluster's settings are bound only in cluster mode, with a Redis address
            Map<Setting, String> base = s.part() == Setting.Part.CLUSTER && s != Setting.REDIS_URL
                    ? Map.of(Setting.REDIS_URL, "redis://127.0.0.1:6379") : Map.of();
            Map<Setting, String> with = new EnumMap<>(Setting.class);
            with.putAll(base);
            with.put(s, other);
            ServerSettings changed = ServerSettings.from(with);

            assertThat(ServerSettings.from(base).differences(changed)).as(s.key()).containsExactly(s);
            assertThat(bound(changed)).as("%s changes what a component is given", s.key())
                    .isNotEqualTo(bound(ServerSettings.from(base)));
        }
    }

    @Test
    void readmeTableIsTheDefinition() throws IOException {
        String readme = Files.readString(Project.file("README.md"));
        List<String> rows = readme.lines().filter(l -> l.startsWith("| `")).filter(l -> l.contains("`HEADEND_"))
                .toList();

        List<String> expected = Arrays.stream(Setting.values()).map(s -> "| `" + s.key() + "` | `" + s.envVar()
                + "` | " + s.defaultText() + " | " + s.range() + " | " + s.part().label() + " | " + s.description()
                + " |").toList();
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    @Test
    void exampleConfigurationShowsEveryDefault() throws IOException {
        String example = Files.readString(Project.file("config/example.yml"));

        for (Setting s : Setting.values()) {
            boolean quoted = s.defaultText().isEmpty() || "*&!|>'\"%@`#".indexOf(s.defaultText().charAt(0)) >= 0;
            String shown = quoted ? "\"" + s.defaultText() + "\"" : s.defaultText();
            assertThat(example).as(s.key()).contains("\n  " + s.key() + ": " + shown + "\n");
        }
    }

    private static List<Object> bound(ServerSettings s) {
        return List.of(s.http(), s.security(), s.dataDir(), s.hlsMirrorDir(), s.ffmpeg(), s.streams(), s.sessions(),
                s.throttle(), s.tsStartSlate(), s.pool(), s.restarts(), s.events(), s.guide(), s.ssdpDiscovery(),
                s.relay(), s.relayTokens(), s.cluster());
    }

    private static String min(Setting s) {
        return s.range().split("–")[0];
    }

    private static String max(Setting s) {
        return s.range().split("–")[1];
    }
}
