package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.SlateLook;
import dev.headend.channel.SlateStatus;
import dev.headend.channel.Source;
import dev.headend.channel.ThrottleMode;
import dev.headend.channel.ThrottleSettings;
import dev.headend.support.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final Path EXAMPLE = Project.file("config/example.yml");
    private static final Path DEMO = Project.file("config/demo.yml");

    @TempDir
    Path dir;

    // --- the shipped configurations ---

    @Test
    void exampleConfigurationLoadsEveryChannel() {
        HeadendConfig config = new ConfigLoader(Map.of()).load(EXAMPLE);

        assertThat(config.settings()).isEqualTo(ServerSettings.defaults());
        assertThat(config.channels()).extracting(Channel::id).containsExactly(
                "test-pattern", "test-silent", "lobby-loop", "lobby-cam", "promo", "news-hls", "sat-ts", "door-cam",
                "multicast", "srt-feed", "rtmp-pull", "ward-3");
    }

    @Test
    void exampleConfigurationHasAFailoverChannelWithItsOwnSlate() {
        Map<String, Channel> c = byId(new ConfigLoader(Map.of()).load(EXAMPLE));

        Channel cam = c.get("lobby-cam");
        assertThat(cam.sources()).containsExactly(
                new Source.Rtsp(URI.create("rtsp://192.0.2.11:554/main")),
                new Source.Http(URI.create("http://192.0.2.12/lobby.ts")));
        assertThat(cam.slate()).isEqualTo(new SlateLook(SlateLook.Visual.TEST_PATTERN, SlateLook.Audio.BEEP,
                SlateLook.DEFAULT_TITLE, "Camera offline", "12 · Lobby Camera", "#101820", Optional.empty(),
                new SlateStatus(false, true, ZoneId.systemDefault())));
        assertThat(c.get("promo").slate()).isEqualTo(new SlateLook(SlateLook.Visual.TEXT, SlateLook.Audio.SILENT,
                SlateLook.DEFAULT_TITLE, "The programme will resume shortly", "11 · Promo Reel", "#101820",
                Optional.empty(), SlateStatus.OFF));
    }

    @Test
    void exampleConfigurationCoversEverySourceKindAndProfileOption() {
        Map<String, Channel> c = byId(new ConfigLoader(Map.of()).load(EXAMPLE));
        Path configDir = EXAMPLE.toAbsolutePath().getParent();

        Channel pattern = c.get("test-pattern");
        assertThat(pattern.name()).isEqualTo("Test Pattern");
        assertThat(pattern.number()).contains(1);
        assertThat(pattern.group()).contains("Diagnostics");
        assertThat(pattern.logo()).contains("https://example.com/logos/test-pattern.png");
        assertThat(pattern.source()).isEqualTo(new Source.TestPattern());
        assertThat(pattern.profile()).isEqualTo(new OutputProfile.H264(
                Optional.of(1280), Optional.of(720), Optional.of(25), 2000, "veryfast", AudioMode.AAC));
        assertThat(pattern.onDemand()).isTrue();
        assertThat(pattern.linger()).isEqualTo(Duration.ofSeconds(10));

        Channel silent = c.get("test-silent");
        assertThat(silent.onDemand()).isFalse();
        assertThat(silent.profile()).isEqualTo(new OutputProfile.H264(
                Optional.of(320), Optional.of(180), Optional.of(15), 300, "ultrafast", AudioMode.NONE));

        assertThat(c.get("lobby-loop").source()).isEqualTo(new Source.MediaFile(Path.of("/srv/media/lobby-loop.mp4")));
        assertThat(c.get("lobby-loop").profile()).isEqualTo(new OutputProfile.Copy(AudioMode.COPY));

        Channel promo = c.get("promo");
        assertThat(promo.source()).isEqualTo(new Source.MediaFile(configDir.resolve("media/promo.mkv")));
        assertThat(promo.profile()).isEqualTo(new OutputProfile.Copy(AudioMode.AAC));
        assertThat(promo.linger()).isEqualTo(Duration.ofSeconds(30));

        assertThat(c.get("news-hls").source())
                .isEqualTo(new Source.Http(URI.create("https://example.com/live/news/index.m3u8")));
        assertThat(c.get("news-hls").profile()).isEqualTo(new OutputProfile.H264(
                Optional.of(1280), Optional.of(720), Optional.empty(), 3000, "faster", AudioMode.AAC));

        assertThat(c.get("sat-ts").source()).isEqualTo(new Source.Http(URI.create("http://192.0.2.20:8001/stream.ts")));
        assertThat(c.get("sat-ts").profile()).isEqualTo(new OutputProfile.Copy(AudioMode.NONE));
        assertThat(c.get("sat-ts").throttle()).contains(ThrottleMode.REALTIME);
        assertThat(c.get("multicast").throttle()).isEmpty();

        Channel cam = c.get("door-cam");
        assertThat(cam.source()).isEqualTo(new Source.Rtsp(
                URI.create("rtsp://admin:changeme@192.0.2.10:554/Streaming/Channels/101")));
        assertThat(cam.profile()).isEqualTo(new OutputProfile.H264(
                Optional.empty(), Optional.of(480), Optional.of(15), 800, "superfast", AudioMode.NONE));
        assertThat(cam.linger()).isEqualTo(Duration.ZERO);

        assertThat(c.get("multicast").source()).isEqualTo(new Source.Network(URI.create("udp://233.252.0.1:5000")));
        assertThat(c.get("srt-feed").source()).isEqualTo(new Source.Network(
                URI.create("srt://192.0.2.30:9000?mode=caller&streamid=studio")));
        assertThat(c.get("srt-feed").profile()).isEqualTo(new OutputProfile.H264(
                Optional.empty(), Optional.empty(), Optional.empty(), 2000, "veryfast", AudioMode.AAC));
        assertThat(c.get("rtmp-pull").source())
                .isEqualTo(new Source.Network(URI.create("rtmp://example.com/live/demo")));
        assertThat(c.get("rtmp-pull").profile()).isEqualTo(new OutputProfile.H264(
                Optional.of(1920), Optional.of(1080), Optional.of(30), 6000, "medium", AudioMode.COPY));

        assertThat(c.get("ward-3").source()).isEqualTo(new Source.Push("ward-3"));
        assertThat(c.get("ward-3").profile()).isEqualTo(new OutputProfile.H264(
                Optional.empty(), Optional.empty(), Optional.empty(), 800, "superfast", AudioMode.NONE));
    }

    @Test
    void exampleConfigurationDocumentsEverySettingAndItsEnvironmentVariable() throws IOException {
        String text = Files.readString(EXAMPLE);

        for (Setting s : Setting.values()) {
            assertThat(text).as(s.key()).contains("  " + s.key() + ": ").contains(s.envVar());
        }
    }

    @Test
    void exampleConfigurationDocumentsEverySlateKey() throws IOException {
        String slateSection = Files.readString(EXAMPLE).split("\nslate:\n")[1].split("\n# Channels")[0];

        for (String key : SlateParser.KEYS) {
            assertThat(slateSection).as(key).contains(" " + key + ": ");
        }
    }

    @Test
    void exampleConfigurationTakesTheCameraPasswordFromTheEnvironment() {
        HeadendConfig config = new ConfigLoader(Map.of("CAMERA_PASSWORD", "s3cret")).load(EXAMPLE);

        Source cam = byId(config).get("door-cam").source();
        assertThat(cam).isEqualTo(new Source.Rtsp(
                URI.create("rtsp://admin:s3cret@192.0.2.10:554/Streaming/Channels/101")));
        assertThat(cam.display()).doesNotContain("s3cret");
    }

    @Test
    void demoConfigurationLoads() {
        HeadendConfig config = new ConfigLoader(Map.of()).load(DEMO);

        assertThat(config.channels()).extracting(Channel::id)
                .containsExactly("demo-bars", "demo-news", "demo-movie", "demo-relay");
        Map<String, Channel> c = byId(config);
        assertThat(c.get("demo-bars").profile()).isEqualTo(new OutputProfile.H264(
                Optional.of(640), Optional.of(360), Optional.of(25), 800, "veryfast", AudioMode.AAC));
        assertThat(c.get("demo-movie").source()).isEqualTo(new Source.MediaFile(
                DEMO.toAbsolutePath().getParent().resolve("media/demo-clip.mp4")));
        assertThat(c.get("demo-relay").source())
                .isEqualTo(new Source.Http(URI.create("http://127.0.0.1:8080/live/demo-bars.ts")));
        assertThat(config.channels()).extracting(ch -> ch.slate().status())
                .as("the demo's slates show the time and the return time")
                .containsOnly(new SlateStatus(true, true, ZoneId.systemDefault()));
    }

    @Test
    void demoRelayFollowsThePortFromTheEnvironment() {
        HeadendConfig config = new ConfigLoader(Map.of("HEADEND_PORT", "9090")).load(DEMO);

        assertThat(config.settings().http().port()).isEqualTo(9090);
        assertThat(byId(config).get("demo-relay").source())
                .isEqualTo(new Source.Http(URI.create("http://127.0.0.1:9090/live/demo-bars.ts")));
    }

    // --- defaults and precedence ---

    @Test
    void emptyFileGivesDefaultSettingsAndNoChannels() {
        HeadendConfig config = load("");

        assertThat(config.settings()).isEqualTo(ServerSettings.defaults());
        assertThat(config.channels()).isEmpty();
    }

    @Test
    void channelOptionsHaveDefaults() {
        HeadendConfig config = load("""
                channels:
                  - id: cam
                    source: "rtsp://192.0.2.10/stream"
                  - id: bars
                    source: "test:"
                """);

        Channel cam = config.channels().get(0);
        assertThat(cam.name()).isEqualTo("cam");
        assertThat(cam.number()).isEmpty();
        assertThat(cam.group()).isEmpty();
        assertThat(cam.logo()).isEmpty();
        assertThat(cam.onDemand()).isTrue();
        assertThat(cam.linger()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cam.profile()).isEqualTo(new OutputProfile.Copy(AudioMode.COPY));
        assertThat(config.channels().get(1).profile()).isEqualTo(new OutputProfile.H264(
                Optional.of(1280), Optional.of(720), Optional.of(25), 2000, "veryfast", AudioMode.AAC));
    }

    @Test
    void shorthandH264ProfileTranscodesWithDefaults() {
        Channel c = load(udpChannel("profile: h264")).channels().getFirst();

        assertThat(c.profile()).isEqualTo(new OutputProfile.H264(
                Optional.empty(), Optional.empty(), Optional.empty(), 2000, "veryfast", AudioMode.AAC));
    }

    @Test
    void fileSettingOverridesTheDefault() {
        HeadendConfig config = load("""
                server:
                  port: 9000
                  bind: 0.0.0.0
                  window_segments: 10
                """);

        assertThat(config.settings().http().port()).isEqualTo(9000);
        assertThat(config.settings().http().bind()).isEqualTo("0.0.0.0");
        assertThat(config.settings().streams().windowSegments()).isEqualTo(10);
        assertThat(config.settings().streams().segmentSeconds()).isEqualTo(1);
    }

    @Test
    void environmentOverridesTheFile() {
        HeadendConfig config = load("""
                server:
                  port: 9000
                  stop_grace_seconds: 2
                """, Map.of("HEADEND_PORT", "9100", "HEADEND_DATA_DIR", "/var/lib/headend"));

        assertThat(config.settings().http().port()).isEqualTo(9100);
        assertThat(config.settings().dataDir()).isEqualTo(Path.of("/var/lib/headend"));
        assertThat(config.settings().streams().stopGrace()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void blankEnvironmentVariableLeavesTheFileValue() {
        HeadendConfig config = load("server:\n  port: 9000\n", Map.of("HEADEND_PORT", " "));

        assertThat(config.settings().http().port()).isEqualTo(9000);
    }

    @Test
    void environmentAloneConfiguresTheServer() {
        HeadendConfig config = new ConfigLoader(Map.of("HEADEND_SESSION_IDLE_SECONDS", "30")).environmentOnly();

        assertThat(config.settings().sessions().idle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.channels()).isEmpty();
    }

    @Test
    void headendMaxSessionsIsAnAliasThatTheSettingsOwnVariableOverrides() {
        assertThat(new ConfigLoader(Map.of("HEADEND_MAX_SESSIONS", "7")).environmentOnly().settings().sessions()
                .maxPerChannel()).isEqualTo(7);
        assertThat(new ConfigLoader(Map.of("HEADEND_MAX_SESSIONS", "7", "HEADEND_MAX_SESSIONS_PER_CHANNEL", "0"))
                .environmentOnly().settings().sessions().maxPerChannel()).isZero();
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HEADEND_MAX_SESSIONS", "-1")).environmentOnly())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_sessions_per_channel (HEADEND_MAX_SESSIONS_PER_CHANNEL) must be between 0");
    }

    @Test
    void throttleSettingsComeFromTheEnvironmentWithHeadendThrottleBitrateAsAnAlias() {
        assertThat(new ConfigLoader(Map.of("HEADEND_THROTTLE_MODE", "Adaptive", "HEADEND_THROTTLE_BITRATE", "4000000"))
                .environmentOnly().settings().throttle()).isEqualTo(new ThrottleSettings(ThrottleMode.ADAPTIVE, 4_000_000));
        assertThat(new ConfigLoader(Map.of("HEADEND_THROTTLE_BITRATE", "4000000", "HEADEND_TARGET_BITRATE_BPS", "0"))
                .environmentOnly().settings().throttle().targetBitrateBps()).isZero();
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HEADEND_THROTTLE_MODE", "slow")).environmentOnly())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("throttle_mode (HEADEND_THROTTLE_MODE) must be one of realtime, burst, adaptive,"
                        + " disabled, got 'slow'");
    }

    // --- ${VAR} expansion ---

    @Test
    void variableIsExpandedFromTheEnvironment() {
        HeadendConfig config = load(channel("rtsp://admin:${CAM_PASS:-fallback}@192.0.2.10/live", ""),
                Map.of("CAM_PASS", "hunter2"));

        assertThat(source(config)).isEqualTo(new Source.Rtsp(URI.create("rtsp://admin:hunter2@192.0.2.10/live")));
    }

    @Test
    void unsetOrEmptyVariableTakesItsDefault() {
        String yaml = channel("rtsp://admin:${CAM_PASS:-fallback}@192.0.2.10/live", "");
        Source expected = new Source.Rtsp(URI.create("rtsp://admin:fallback@192.0.2.10/live"));

        assertThat(source(load(yaml))).isEqualTo(expected);
        assertThat(source(load(yaml, Map.of("CAM_PASS", "")))).isEqualTo(expected);
    }

    @Test
    void variableWithoutDefaultMustBeSet() {
        HeadendConfig config = load(channel("rtsp://${CAM_HOST}/live", ""), Map.of("CAM_HOST", "192.0.2.77"));
        assertThat(source(config)).isEqualTo(new Source.Rtsp(URI.create("rtsp://192.0.2.77/live")));

        assertThatThrownBy(() -> load(channel("rtsp://${CAM_HOST}/live", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment variable CAM_HOST is not set")
                .hasMessageContaining("${CAM_HOST:-default}");
    }

    @Test
    void commentsAreNeverExpandedAndValuesCannotChangeTheStructure() {
        String yaml = "# ${NOT_SET_ANYWHERE} in a comment\n" + udpChannel("name: \"${CHANNEL_NAME}\"");
        String hostile = "News\"\n    on_demand: false";
        HeadendConfig config = load(yaml, Map.of("CHANNEL_NAME", hostile));

        assertThat(config.channels()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo(hostile);
            assertThat(c.onDemand()).isTrue();
        });
    }

    // --- bad input ---

    @Test
    void unreadableFileIsReported() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("missing.yml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("configuration file not found: ")
                .hasMessageContaining("missing.yml");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertError("""
                server:
                  port: 8080
                channels:
                  - id: a
                    source: "test:
                """, "invalid YAML in ", "line 5");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertError("- id: a\n", "the top level must be a mapping");
    }

    @Test
    void unknownTopLevelKeyIsRefused() {
        assertError("chanels:\n  - id: a\n", "unknown top-level key 'chanels'");
    }

    @Test
    void unknownServerSettingIsRefused() {
        assertError("server:\n  prot: 8080\n", "server: unknown setting 'prot'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            port                   | 65536 | 0     | 65535
            segment_seconds        | 0     | 1     | 10
            segment_seconds        | 11    | 1     | 10
            window_segments        | 1     | 2     | 30
            start_timeout_seconds  | 301   | 100ms | 300s
            session_idle_seconds   | 100ms | 500ms | 1h
            sweep_interval_seconds | 0     | 100ms | 1h
            breaker_failures       | 0     | 1     | 1000
            stop_grace_seconds     | 61    | 100ms | 60s
            failback_seconds       | 2d    | 1s    | 1d
            """)
    void outOfRangeSettingNamesTheSettingAndItsVariable(String key, String value, String min, String max) {
        String env = "HEADEND_" + key.toUpperCase(Locale.ROOT);
        String expected = "setting " + key + " (" + env + ") must be between " + min + " and " + max
                + ", got " + value;

        assertError("server:\n  " + key + ": " + value + "\n", expected);
        assertThatThrownBy(() -> load("", Map.of(env, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eighty", "1.5", "8080x"})
    void nonNumericSettingNamesTheSettingAndItsVariable(String value) {
        String expected = "setting port (HEADEND_PORT) must be a whole number, got '" + value + "'";

        assertError("server:\n  port: \"" + value + "\"\n", expected);
        assertThatThrownBy(() -> load("", Map.of("HEADEND_PORT", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void settingMustBeASingleValue() {
        assertError("server:\n  port: [1, 2]\n", "server: setting port must be a single value");
    }

    @Test
    void channelsMustBeAList() {
        assertError("channels:\n  id: a\n", "'channels' must be a list");
    }

    @Test
    void channelWithoutIdIsRefused() {
        assertError("""
                channels:
                  - id: a
                    source: "test:"
                  - name: Nameless
                    source: "test:"
                """, "channels[1] has no id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad_ID", "-x", "_x", "a b", "a.b", "ä"})
    void invalidIdIsRefused(String id) {
        assertError("channels:\n  - id: \"" + id + "\"\n    source: \"test:\"\n",
                "channels[0]: id '" + id + "' is invalid");
    }

    @Test
    void idIsAtMost64Characters() {
        String longest = "a".repeat(64);
        assertThat(load("channels:\n  - id: " + longest + "\n    source: \"test:\"\n").channels())
                .extracting(Channel::id).containsExactly(longest);

        String tooLong = "a".repeat(65);
        assertError("channels:\n  - id: " + tooLong + "\n    source: \"test:\"\n",
                "channels[0]: id '" + tooLong + "' is invalid");
    }

    @Test
    void duplicateIdIsRefused() {
        assertError("""
                channels:
                  - id: news
                    source: "test:"
                  - id: news
                    source: "udp://233.252.0.1:5000"
                """, "channel news is defined twice");
    }

    @Test
    void channelWithoutSourceIsRefused() {
        assertError("channels:\n  - id: a\n    name: A\n", "channel a has no source");
    }

    @Test
    void sourceWithoutSchemeIsRefused() {
        assertError(channel("/srv/clip.mp4", ""), "channel cam: source '/srv/clip.mp4' has no scheme");
    }

    @ParameterizedTest
    @CsvSource({"gopher://x, gopher", "ftp://192.0.2.1/a.ts, ftp", "smb://server/share/clip.mp4, smb"})
    void unknownSchemeNamesTheChannelAndTheScheme(String url, String scheme) {
        assertError(channel(url, ""), "channel cam: unsupported source scheme '" + scheme + "'");
    }

    @Test
    void testSourceTakesNoArgument() {
        assertError(channel("test:bars", ""), "channel cam: source 'test:' takes no argument, got 'test:bars'");
    }

    @Test
    void pushSourceNamesARelayStreamAndNeedsSilentH264() {
        HeadendConfig ok = load(channel("push:cam-1", ""));
        assertThat(ok.channels().getFirst().source()).isEqualTo(new Source.Push("cam-1"));
        assertThat(ok.channels().getFirst().profile()).isEqualTo(new OutputProfile.H264(Optional.empty(),
                Optional.empty(), Optional.empty(), 2000, "veryfast", AudioMode.NONE));

        assertError(channel("push:", ""), "channel cam: source 'push:' needs a relay stream id");
        assertError(channel("push:Bad/Id", ""), "channel cam: source 'push:' needs a relay stream id");
        assertError(channel("push:cam", "profile: copy"), "a push: source sends still images, so it needs profile"
                + " h264");
        assertError(channel("push:cam", "profile: {type: h264, audio: aac}"), "a push: source has no sound");
        assertError("channels:\n  - id: cam\n    sources: [\"push:cam\", \"test:\"]\n",
                "cannot be combined with other sources");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:", "file://", "file:  "})
    void fileSourceNeedsAPath(String url) {
        assertError(channel(url, ""), "channel cam: source 'file:' needs a path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:///live.m3u8", "rtsp:///stream", "udp://:5000"})
    void networkSourceNeedsAHost(String url) {
        assertError(channel(url, ""), "channel cam: source '" + url + "' has no host");
    }

    @Test
    void malformedUrlIsRefused() {
        assertError(channel("http://192.0.2.1/a b", ""), "channel cam: source 'http://192.0.2.1/a b' is not a valid URL");
    }

    @Test
    void unknownChannelKeyIsRefused() {
        assertError(channel("udp://233.252.0.1:5000", "nmae: News"), "channel cam: unknown key 'nmae'");
    }

    @Test
    void unknownProfileKeyIsRefused() {
        assertError(udpChannel("profile: {type: h264, bitrate: 900}"), "channel cam profile: unknown key 'bitrate'");
    }

    @Test
    void unknownProfileTypeIsRefused() {
        assertError(udpChannel("profile: {type: vp9}"), "channel cam: profile type must be 'copy' or 'h264', got 'vp9'");
        assertError(udpChannel("profile: hevc"), "channel cam: profile must be 'copy' or 'h264', got 'hevc'");
        assertError(udpChannel("profile: [copy]"), "channel cam: profile must be 'copy', 'h264' or a mapping");
    }

    @ParameterizedTest
    @ValueSource(strings = {"width: 640", "height: 360", "fps: 25", "bitrate_kbps: 900", "preset: fast"})
    void copyProfileTakesNoEncoderOptions(String option) {
        String key = option.substring(0, option.indexOf(':'));
        assertError(udpChannel("profile: {type: copy, " + option + "}"),
                "channel cam: profile 'copy' does not take '" + key + "'");
    }

    @Test
    void testSourceCannotBeCopied() {
        assertError(testChannel("profile: copy"),
                "channel cam: a test: source is generated, so it needs profile h264, not copy");
        assertError(testChannel("profile: {type: copy}"),
                "channel cam: a test: source is generated, so it needs profile h264, not copy");
        assertError(testChannel("profile: {type: h264, audio: copy}"),
                "channel cam: a test: source has a generated tone; use audio aac or none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"width: 641", "height: 361"})
    void oddFrameSizeIsRefused(String option) {
        assertError(udpChannel("profile: {type: h264, " + option + "}"), "channel cam: width and height must be even numbers");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            width: 8          | width must be between 16 and 7680, got 8
            height: 4322      | height must be between 16 and 4320, got 4322
            fps: 0            | fps must be between 1 and 120, got 0
            bitrate_kbps: 63  | bitrate_kbps must be between 64 and 100000, got 63
            fps: 29.97        | fps must be a whole number, got '29.97'
            width: wide       | width must be a whole number, got 'wide'
            """)
    void encoderOptionOutOfRangeIsRefused(String option, String message) {
        assertError(udpChannel("profile: {type: h264, " + option + "}"), "channel cam: " + message);
    }

    @Test
    void unknownPresetIsRefused() {
        assertError(udpChannel("profile: {type: h264, preset: turbo}"), "channel cam: preset 'turbo' is not an x264 preset");
    }

    @Test
    void unknownAudioModeIsRefused() {
        assertError(udpChannel("profile: {type: copy, audio: mp3}"), "channel cam: audio must be aac, copy or none, got 'mp3'");
        assertError(udpChannel("profile: {type: h264, audio: opus}"),
                "channel cam: audio must be aac, copy or none, got 'opus'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            linger_seconds: -1    | linger_seconds must be between 0 and 86400, got -1
            linger_seconds: 86401 | linger_seconds must be between 0 and 86400, got 86401
            linger_seconds: soon  | linger_seconds must be a whole number, got 'soon'
            number: 100000        | number must be between 0 and 99999, got 100000
            """)
    void numericChannelOptionOutOfRangeIsRefused(String option, String message) {
        assertError(channel("udp://233.252.0.1:5000", option), "channel cam: " + message);
    }

    @Test
    void aChannelsThrottleOverridesTheServersAndMustBeAMode() {
        assertThat(load(udpChannel("throttle: realtime")).channels().getFirst().throttle())
                .contains(ThrottleMode.REALTIME);
        assertThat(load(udpChannel("name: Cam")).channels().getFirst().throttle()).isEmpty();
        assertError(udpChannel("throttle: turbo"),
                "channel cam: throttle must be one of realtime, burst, adaptive, disabled, got 'turbo'");
    }

    @Test
    void aChannelsTsStartSlateOverridesTheServersAndMustBeABoolean() {
        assertThat(load(udpChannel("ts_start_slate: false")).channels().getFirst().tsStartSlate()).contains(false);
        assertThat(load(udpChannel("name: Cam")).channels().getFirst().tsStartSlate()).isEmpty();
        assertError(udpChannel("ts_start_slate: maybe"), "channel cam: ts_start_slate must be true or false, got 'maybe'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "1", "\"true\""})
    void onDemandMustBeABoolean(String value) {
        assertError(channel("udp://233.252.0.1:5000", "on_demand: " + value),
                "channel cam: on_demand must be true or false, got '" + value.replace("\"", "") + "'");
    }

    // --- slate ---

    @Test
    void slateStatusLineIsOffByDefaultInTheServersZone() {
        SlateLook look = load(udpChannel("name: News")).channels().getFirst().slate();

        assertThat(look.status()).isEqualTo(SlateStatus.OFF);
        assertThat(load("slate: {time_zone: Asia/Tokyo}\n" + udpChannel("name: News")).channels().getFirst().slate()
                .status()).as("a zone alone draws nothing").isEqualTo(SlateStatus.OFF);
        assertThat(load("slate: {show_time: true}\n" + udpChannel("name: News")).channels().getFirst().slate()
                .status()).isEqualTo(new SlateStatus(true, false, ZoneId.systemDefault()));
    }

    @Test
    void slateStatusKeysApplyServerWideAndAChannelOverridesEachOfThem() {
        HeadendConfig config = load("""
                slate:
                  show_time: true
                  show_return_time: true
                  time_zone: Europe/Paris
                channels:
                  - id: news
                    source: "udp://233.252.0.1:5000"
                  - id: cam
                    source: "udp://233.252.0.2:5000"
                    slate: {show_time: false, time_zone: "America/New_York"}
                """);

        Map<String, Channel> c = byId(config);
        assertThat(c.get("news").slate().status())
                .isEqualTo(new SlateStatus(true, true, ZoneId.of("Europe/Paris")));
        assertThat(c.get("cam").slate().status())
                .isEqualTo(new SlateStatus(false, true, ZoneId.of("America/New_York")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            show_time: sometimes       | show_time must be true or false, got 'sometimes'
            show_return_time: 1        | show_return_time must be true or false, got '1'
            show_time: "true"          | show_time must be true or false, got 'true'
            time_zone: Mars/Olympus    | time_zone must be a time zone id such as Europe/Paris, got 'Mars/Olympus'
            time_zone: "Europe/Pariss" | time_zone must be a time zone id such as Europe/Paris, got 'Europe/Pariss'
            time_zone: 25              | time_zone must be a time zone id such as Europe/Paris, got '25'
            """)
    void badSlateStatusValueNamesTheKeyAndTheValue(String option, String message) {
        assertError("slate: {" + option + "}\n", "slate: " + message);
        assertError(udpChannel("slate: {" + option + "}"), "channel cam slate: " + message);
    }

    @Test
    void aTopLevelSlateErrorNamesTheSectionOnce() {
        assertThatThrownBy(() -> load("slate: {show_clock: true}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("slate: unknown key 'show_clock' (allowed: ");
        assertThatThrownBy(() -> load("slate: {background: red}\n"))
                .hasMessage("slate: background must be a colour like #101820, got 'red'");
    }

    @Test
    void channelIdsThatTheApiUsesForItsOwnPathsAreReserved() {
        for (String id : new String[] {"start", "stop", "cleanup"}) {
            assertThatThrownBy(() -> load("channels:\n  - id: " + id + "\n    source: \"test:\"\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("channels[0]: id '" + id + "' is reserved (the API has /api/streams/" + id
                            + "); choose another");
        }
        assertThatThrownBy(() -> load("channels:\n  - id: import\n    source: \"test:\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("channels[0]: id 'import' is reserved (the API has /api/channels/import); choose another");
    }

    @Test
    void unknownSlateKeyIsRefused() {
        assertError(udpChannel("slate: {show_clock: true}"), "channel cam slate: unknown key 'show_clock'",
                "show_return_time", "show_time", "time_zone");
    }

    // --- credentials ---

    @Test
    void credentialsNeverAppearInTheSourceDisplay() {
        HeadendConfig config = load("""
                channels:
                  - id: cam
                    source: "rtsp://user:secret@192.0.2.10:554/stream"
                  - id: relay
                    source: "https://user:secret@example.com/live/index.m3u8"
                  - id: push
                    source: "rtmp://publisher:secret@example.com/live/key"
                """);

        assertThat(config.channels()).allSatisfy(c -> assertThat(c.source().display())
                .doesNotContain("secret").doesNotContain("user").contains("***@"));
        assertThat(config.channels().getFirst().source().display()).isEqualTo("rtsp://***@192.0.2.10:554/stream");
    }

    @Test
    void credentialsNeverAppearInAnUnsupportedSchemeError() {
        assertThatThrownBy(() -> load(channel("gopher://user:secret@192.0.2.10/x", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unsupported source scheme 'gopher'")
                .message().doesNotContain("secret");
    }

    @Test
    void credentialsNeverAppearInAMalformedUrlError() {
        // An unescaped '@' in the password makes the URL's authority unparseable as user@host.
        assertThatThrownBy(() -> load(channel("rtsp://admin:p@ss@192.0.2.10/live", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("channel cam: source ")
                .message().doesNotContain("p@ss");
    }

    // --- helpers ---

    private HeadendConfig load(String yaml) {
        return load(yaml, Map.of());
    }

    private HeadendConfig load(String yaml, Map<String, String> env) {
        Path file = dir.resolve("headend.yml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConfigLoader(env).load(file);
    }

    private void assertError(String yaml, String... messageParts) {
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll(messageParts);
    }

    /** One channel "cam" with the given source and an extra line of channel options. */
    private static String channel(String source, String extraLine) {
        return "channels:\n  - id: cam\n    source: \"" + source + "\"\n    " + extraLine + "\n";
    }

    /** One channel "cam" reading a UDP stream, with an extra line of channel options. */
    private static String udpChannel(String extraLine) {
        return channel("udp://233.252.0.1:5000", extraLine);
    }

    private static String testChannel(String extraLine) {
        return channel("test:", extraLine);
    }

    private static Source source(HeadendConfig config) {
        return config.channels().getFirst().source();
    }

    private static Map<String, Channel> byId(HeadendConfig config) {
        return config.channels().stream().collect(Collectors.toMap(Channel::id, c -> c));
    }
}
