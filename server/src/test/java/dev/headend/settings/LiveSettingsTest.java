package dev.headend.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import dev.headend.store.Database;
import dev.headend.support.ManualTime;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveSettingsTest {
    private static final ServerSettings FILE_AND_ENV = ServerSettings.resolve(
            Map.of(Setting.WINDOW_SEGMENTS, "4", Setting.PORT, "9000"), Map.of(Setting.RESTART_LIMIT, "3"));

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime();
    private final List<LiveSettings.Update> updates = new ArrayList<>();
    private Database db;

    private LiveSettings start() {
        if (db != null) {
            db.close();
        }
        db = Database.open(dir);
        LiveSettings live = LiveSettings.start(FILE_AND_ENV, new SettingsStore(db), time);
        live.onChange(updates::add);
        return live;
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void valuesSetThroughTheApiWinOverEnvironmentAndFileAndSurviveARestart() {
        LiveSettings live = start();

        LiveSettings.Update u = live.set(Map.of("window_segments", 8, "restart_limit", "5"));

        assertThat(u.changed()).containsExactly(Setting.WINDOW_SEGMENTS, Setting.RESTART_LIMIT);
        assertThat(u.appliedLive()).containsExactly(Setting.WINDOW_SEGMENTS, Setting.RESTART_LIMIT);
        assertThat(u.running().streams().windowSegments()).isEqualTo(8);
        assertThat(live.wanted().origin(Setting.RESTART_LIMIT)).isEqualTo(ServerSettings.Origin.API);
        assertThat(live.wanted().overrides(Setting.RESTART_LIMIT)).contains(ServerSettings.Origin.ENVIRONMENT);
        assertThat(updates).hasSize(1);

        LiveSettings again = start();

        assertThat(again.started().streams().windowSegments()).isEqualTo(8);
        assertThat(again.started().restarts().globalMaxRestarts()).isEqualTo(5);
        assertThat(again.started().origin(Setting.WINDOW_SEGMENTS)).isEqualTo(ServerSettings.Origin.API);
    }

    @Test
    void aStoredValueThatIsNoLongerValidIsIgnoredAtStart() {
        start();
        new SettingsStore(db).put(Map.of(Setting.WINDOW_SEGMENTS, "99", Setting.RESTART_LIMIT, "6",
                Setting.DATA_DIR, "/elsewhere"), time.wallClock());

        LiveSettings live = start();

        assertThat(live.started().api()).containsExactly(Map.entry(Setting.RESTART_LIMIT, "6"));
        assertThat(live.started().streams().windowSegments()).isEqualTo(4);
    }

    @Test
    void aRestartOnlySettingIsWantedButNotInEffect() {
        LiveSettings live = start();

        LiveSettings.Update u = live.set(Map.of("port", 9100));

        assertThat(u.changed()).containsExactly(Setting.PORT);
        assertThat(u.appliedLive()).isEmpty();
        assertThat(u.pendingRestart()).containsExactly(Setting.PORT);
        assertThat(live.pendingRestart(Setting.PORT)).isTrue();
        assertThat(live.running().http().port()).isEqualTo(9000);
        assertThat(live.wanted().http().port()).isEqualTo(9100);
    }

    @Test
    void everyBadValueIsNamedAndNothingChanges() {
        LiveSettings live = start();
        ServerSettings before = live.wanted();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("window_segments", 99);
        values.put("stop_grace_seconds", "soon");
        values.put("metrics_public", 1);
        values.put("no_such_setting", 1);
        values.put("admin_token", "a-secret-of-sixteen-characters");
        values.put("data_dir", "/elsewhere");
        values.put("segment_seconds", new BigDecimal("1.5"));
        values.put("idle_timeout_seconds", null);
        values.put("restart_cooldown_seconds", 0.5); // valid alone: refused with the others

        assertThatThrownBy(() -> live.set(values))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> {
                    assertThat(e.problems()).extracting(SettingsInput.Problem::key).containsExactly("window_segments",
                            "stop_grace_seconds", "metrics_public", "no_such_setting", "admin_token", "data_dir",
                            "segment_seconds", "idle_timeout_seconds");
                    assertThat(e.problems().getFirst().message()).isEqualTo("setting window_segments"
                            + " (HEADEND_WINDOW_SEGMENTS) must be between 2 and 30, got 99");
                    assertThat(e.problems().getFirst().range()).isEqualTo("2–30");
                    assertThat(e.problems().get(2).message()).isEqualTo("setting metrics_public must be true or"
                            + " false, got a number");
                    assertThat(e.problems().get(4).message()).doesNotContain("a-secret-of-sixteen-characters");
                });

        assertThat(live.wanted()).isEqualTo(before);
        assertThat(live.wanted().api()).isEmpty();
        assertThat(updates).isEmpty();
        assertThat(start().started().api()).isEmpty();
    }

    @Test
    void badClusterSettingsAreNamedNothingChangesAndTheRedisAddressIsNeverTakenFromTheApi() {
        LiveSettings live = start();
        ServerSettings before = live.wanted();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("redis_url", "redis://:pa55word-0123456789@cache:6379");
        values.put("node_url", "ftp://node-a");
        values.put("node_id", "node a");
        values.put("lease_ttl_seconds", "500ms");

        assertThatThrownBy(() -> live.set(values))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> {
                    assertThat(e.problems()).extracting(SettingsInput.Problem::key).containsExactly("redis_url",
                            "node_url", "node_id", "lease_ttl_seconds");
                    assertThat(e.problems()).extracting(SettingsInput.Problem::message)
                            .noneMatch(m -> m.contains("pa55word"));
                    assertThat(e.problems().getLast().range()).isEqualTo("1s–60s");
                });

        assertThat(live.wanted()).isEqualTo(before);
        assertThat(live.wanted().cluster()).isEmpty();
        assertThat(updates).isEmpty();
    }

    @Test
    void valuesThatContradictEachOtherAreRefused() {
        LiveSettings live = start();

        assertThatThrownBy(() -> live.set(Map.of("initial_segments", 5)))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .extracting(SettingsInput.Problem::key).containsExactly("initial_segments"));
        assertThat(live.set(Map.of("initial_segments", 5, "window_segments", 6)).changed())
                .containsExactly(Setting.WINDOW_SEGMENTS, Setting.INITIAL_SEGMENTS);
    }

    @Test
    void durationsAreStringsWithAUnitOrNumbersOfSeconds() {
        LiveSettings live = start();

        live.set(Map.of("restart_cooldown_seconds", 0.25, "healthy_run_seconds", 45, "breaker_open_seconds", "2m"));

        assertThat(live.running().restarts().cooldown()).isEqualTo(Duration.ofMillis(250));
        assertThat(live.running().restarts().healthyRun()).isEqualTo(Duration.ofSeconds(45));
        assertThat(live.running().restarts().breakerOpen()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aResetKeyFallsBackToTheEnvironmentAndIsForgotten() {
        LiveSettings live = start();
        live.set(Map.of("restart_limit", 7));

        LiveSettings.Update u = live.reset(Setting.RESTART_LIMIT);

        assertThat(u.changed()).containsExactly(Setting.RESTART_LIMIT);
        assertThat(live.running().restarts().globalMaxRestarts()).isEqualTo(3);
        assertThat(live.wanted().origin(Setting.RESTART_LIMIT)).isEqualTo(ServerSettings.Origin.ENVIRONMENT);
        assertThat(start().started().api()).isEmpty();
    }

    @Test
    void aReloadedFileChangesOnlyWhatTheApiDoesNotSet() {
        LiveSettings live = start();
        live.set(Map.of("window_segments", 8));
        ServerSettings newFile = ServerSettings.resolve(Map.of(Setting.WINDOW_SEGMENTS, "3", Setting.PORT, "9200",
                Setting.SESSION_IDLE_SECONDS, "30s"), Map.of(Setting.RESTART_LIMIT, "3"));

        LiveSettings.Update u = live.reloaded(newFile);

        assertThat(u.changed()).containsExactly(Setting.PORT, Setting.SESSION_IDLE_SECONDS);
        assertThat(u.appliedLive()).containsExactly(Setting.SESSION_IDLE_SECONDS);
        assertThat(u.pendingRestart()).containsExactly(Setting.PORT);
        assertThat(live.running().streams().windowSegments()).isEqualTo(8);
        assertThat(live.running().sessions().idle()).isEqualTo(Duration.ofSeconds(30));
    }
}
