package dev.headend.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import dev.headend.store.Database;
import dev.headend.support.ManualTime;
import dev.headend.sync.SharedItem;
import dev.headend.sync.UnsharedChangeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings changed through one node's API as the other nodes of a cluster apply them. */
class SharedSettingsTest {
    private static final ServerSettings FILE = ServerSettings.resolve(Map.of(Setting.WINDOW_SEGMENTS, "4"), Map.of());

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime();
    private final List<List<SharedItem>> published = new ArrayList<>();
    private final List<LiveSettings.Update> updates = new ArrayList<>();
    private Database db;
    private LiveSettings live;
    private long seq;

    @BeforeEach
    void start() {
        db = Database.open(dir);
        live = LiveSettings.start(FILE, new SettingsStore(db), time);
        live.onChange(updates::add);
        live.share(items -> {
            published.add(items);
            return ++seq;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static SharedItem.Versioned set(String key, String value, long seq) {
        return new SharedItem.Versioned(SharedItem.set(SharedItem.Kind.SETTING, key, value), seq);
    }

    @Test
    void aChangeMadeHereIsPublishedWithoutTheNodesOwnSettings() {
        live.set(Map.of("window_segments", 8, "node_url", "http://10.0.0.5:8080"));
        live.reset(Setting.WINDOW_SEGMENTS);
        live.reset(Setting.NODE_URL);

        assertThat(published).containsExactly(
                List.of(SharedItem.set(SharedItem.Kind.SETTING, "window_segments", "8")),
                List.of(SharedItem.removed(SharedItem.Kind.SETTING, "window_segments")));
    }

    @Test
    void aChangeFromAnotherNodeIsAppliedStoredAndNotPublishedAgain() {
        assertThat(live.adoptShared(List.of(set("window_segments", "8", 5), set("restart_limit", "7", 5))))
                .isPresent();

        assertThat(live.running().streams().windowSegments()).isEqualTo(8);
        assertThat(live.wanted().origin(Setting.RESTART_LIMIT)).isEqualTo(ServerSettings.Origin.API);
        assertThat(new SettingsStore(db).load()).containsEntry("window_segments", "8")
                .containsEntry("restart_limit", "7");
        assertThat(updates).hasSize(1);
        assertThat(published).isEmpty();

        live.adoptShared(List.of(new SharedItem.Versioned(SharedItem.removed(SharedItem.Kind.SETTING,
                "restart_limit"), 6)));

        assertThat(live.wanted().api()).containsOnlyKeys(Setting.WINDOW_SEGMENTS);
        assertThat(new SettingsStore(db).load()).doesNotContainKey("restart_limit");
    }

    @Test
    void anOlderChangeNeverReplacesANewerOneMadeHere() {
        live.set(Map.of("window_segments", 8)); // published as change 1
        seq = 10;
        live.set(Map.of("window_segments", 9)); // change 11

        assertThat(live.adoptShared(List.of(set("window_segments", "6", 7)))).isEmpty();
        assertThat(live.adoptShared(List.of(set("window_segments", "9", 11)))).isEmpty();

        assertThat(live.running().streams().windowSegments()).isEqualTo(9);
        assertThat(updates).hasSize(2);
    }

    @Test
    void aChangeThisNodeRefusesChangesNothingAndIsNotTriedAgain() {
        assertThat(live.adoptShared(List.of(set("window_segments", "999", 3), set("restart_limit", "7", 3))))
                .isEmpty();
        assertThat(live.adoptShared(List.of(set("node_url", "http://x:1", 4), set("admin_token",
                "a-token-long-enough-to-be-valid", 4)))).isEmpty();

        assertThat(live.wanted().api()).isEmpty();
        assertThat(new SettingsStore(db).load()).isEmpty();
        assertThat(updates).isEmpty();
        assertThat(live.adoptShared(List.of(set("window_segments", "999", 3)))).isEmpty();
    }

    @Test
    void aChangeTheClusterCannotBeToldOfIsRefusedAndChangesNothing() {
        live.share(items -> {
            throw new UnsharedChangeException("the cluster's Redis cannot be reached", Duration.ofSeconds(2));
        });

        assertThatThrownBy(() -> live.set(Map.of("window_segments", 8))).isInstanceOf(UnsharedChangeException.class);
        live.set(Map.of("port", 9100)); // the node's own: nothing to tell

        assertThat(live.wanted().streams().windowSegments()).isEqualTo(4);
        assertThat(new SettingsStore(db).load()).containsOnlyKeys("port");
    }
}
