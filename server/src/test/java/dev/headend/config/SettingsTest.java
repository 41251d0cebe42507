package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsMatchTheDocumentedValues() {
        ServerSettings d = ServerSettings.defaults();

        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.bind()).isEqualTo("127.0.0.1");
        assertThat(d.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(d.ffmpeg()).isEqualTo("ffmpeg");
        assertThat(d.segmentSeconds()).isEqualTo(1);
        assertThat(d.windowSegments()).isEqualTo(6);
        assertThat(d.startTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.sessionIdle()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.sweepInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.stopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxProcesses()).isEqualTo(64);
        assertThat(d.spawnsPerSecond()).isEqualTo(5);
        assertThat(d.memoryGuardPercent()).isEqualTo(85);
        assertThat(d.minFreeFds()).isEqualTo(100);
        assertThat(d.maxProcessAge()).isEqualTo(Duration.ofHours(24));
        assertThat(d.restartLimit()).isEqualTo(10);
        assertThat(d.restartWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.restartCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.healthyRun()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.breakerFailures()).isEqualTo(5);
        assertThat(d.breakerWindow()).isEqualTo(Duration.ofSeconds(300));
        assertThat(d.breakerOpen()).isEqualTo(Duration.ofSeconds(120));
        assertThat(d.failoverFailures()).isEqualTo(3);
    }

    @Test
    void segmentDurationRangesFromOneToTenSeconds() {
        assertThat(Setting.SEGMENT_SECONDS.min()).isEqualTo(1);
        assertThat(Setting.SEGMENT_SECONDS.max()).isEqualTo(10);
        assertThat(ServerSettings.from(Map.of(Setting.SEGMENT_SECONDS, "10")).segmentSeconds()).isEqualTo(10);
        assertThatThrownBy(() -> ServerSettings.from(Map.of(Setting.SEGMENT_SECONDS, "11")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("setting segment_seconds (HEADEND_SEGMENT_SECONDS) must be between 1 and 10");
    }

    @Test
    void everyDefaultIsWithinItsOwnRange() {
        for (Setting s : Setting.values()) {
            if (s.numeric()) {
                assertThat(Long.parseLong(s.defaultValue())).as(s.key()).isBetween(s.min(), s.max());
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
    void differencesNameEachChangedSettingInDefinitionOrder() {
        ServerSettings base = ServerSettings.defaults();
        ServerSettings changed = ServerSettings.from(Map.of(Setting.WINDOW_SEGMENTS, "8", Setting.PORT, "9090",
                Setting.FAILBACK_SECONDS, "300"));

        assertThat(base.differences(changed)).containsExactly(Setting.PORT, Setting.WINDOW_SEGMENTS);
        assertThat(changed.differences(base)).containsExactly(Setting.PORT, Setting.WINDOW_SEGMENTS);
        assertThat(base.differences(ServerSettings.defaults())).isEmpty();
    }

    @Test
    void everySettingHasAValueOfItsOwn() {
        for (Setting s : Setting.values()) {
            String other = s.numeric() ? Long.toString(Long.parseLong(s.defaultValue()) == s.min() ? s.max() : s.min())
                    : "/other";
            assertThat(ServerSettings.defaults().differences(ServerSettings.from(Map.of(s, other))))
                    .as(s.key()).containsExactly(s);
        }
    }

    @Test
    void emptyValueIsRefused() {
        assertThatThrownBy(() -> ServerSettings.from(Map.of(Setting.BIND, " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting bind (HEADEND_BIND) is empty");
    }

    @Test
    void readmeDocumentsEveryEnvironmentVariable() throws IOException {
        Path readme = Path.of("README.md");
        assertThat(readme).as("README.md at the project root").exists();
        String text = Files.readString(readme);

        for (Setting s : Setting.values()) {
            assertThat(text).as(s.key()).contains(s.envVar());
        }
    }
}
