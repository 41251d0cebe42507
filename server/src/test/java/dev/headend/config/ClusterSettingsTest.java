package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.cluster.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cluster's settings: on only with a Redis address, checked with clear errors, the password never shown. */
class ClusterSettingsTest {
    private static final Path FILE = Path.of("/etc/headend/headend.yml");

    @Test
    void withoutRedisThereIsNoCluster() {
        assertThat(ServerSettings.defaults().cluster()).isEmpty();
        assertThat(ServerSettings.from(Map.of(Setting.NODE_ID, "node-a")).cluster()).isEmpty();
    }

    @Test
    void redisUrlTurnsClusterModeOnWithDefaults() {
        ClusterSettings c = ServerSettings.from(Map.of(Setting.REDIS_URL, "redis://:pa55word@10.0.0.2:6380/3"))
                .cluster().orElseThrow();

        assertThat(c.redis().host()).isEqualTo("10.0.0.2");
        assertThat(c.redis().port()).isEqualTo(6380);
        assertThat(c.redis().database()).isEqualTo(3);
        assertThat(c.redis().password()).contains("pa55word");
        assertThat(c.nodeId()).isEqualTo(ClusterSettings.AUTO_ID);
        assertThat(c.nodeUrl()).isEmpty();
        assertThat(c.leaseTtl()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.redirect()).isFalse();
        assertThat(c.secret()).isEmpty();
    }

    @Test
    void redisPasswordIsNeverShown() {
        ServerSettings s = ServerSettings.resolve(Map.of(), Map.of(Setting.REDIS_URL,
                "redis://user:pa55word@cache:6379"));

        assertThat(s.text(Setting.REDIS_URL)).isEqualTo("redis://user:***@cache:6379/0");
        assertThat(s.cluster().orElseThrow().toString()).doesNotContain("pa55word");
        assertThat(s.toString()).doesNotContain("pa55word");
    }

    @Test
    void badRedisUrlIsRefusedClearlyWithoutItsPassword() {
        for (String bad : new String[] {"http://:pa55word@cache:6379", "redis://:pa55word@cache:6379/x",
                "redis://:pa55word@cache:6379?db=1", "redis://:pa55word@/0", "redis://:pa55word@cache:0"}) {
            assertThatThrownBy(() -> ServerSettings.from(Map.of(Setting.REDIS_URL, bad)))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("redis_url (HEADEND_REDIS_URL)")
                    .hasMessageNotContaining("pa55word");
        }
    }

    @Test
    void badNodeUrlNodeIdAndTtlAreRefusedNamingTheSetting() {
        Map<Setting, String> redis = Map.of(Setting.REDIS_URL, "redis://127.0.0.1:6379");
        assertThatThrownBy(() -> ServerSettings.resolve(redis, Map.of(Setting.NODE_URL, "ftp://node-a")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("node_url (HEADEND_NODE_URL)");
        assertThatThrownBy(() -> ServerSettings.resolve(redis, Map.of(Setting.NODE_ID, "node a")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("node_id (HEADEND_NODE_ID)");
        assertThatThrownBy(() -> ServerSettings.resolve(redis, Map.of(Setting.LEASE_TTL_SECONDS, "500ms")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 1s and 60s");
        assertThatThrownBy(() -> ServerSettings.resolve(redis, Map.of(Setting.LEASE_TTL_SECONDS, "61s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 1s and 60s");
    }

    @Test
    void clusterSectionOfTheFileIsRead() {
        HeadendConfig config = new ConfigLoader(Map.of()).parse("""
                server:
                  port: 0
                cluster:
                  redis_url: redis://127.0.0.1:6379
                  node_id: node-b
                  lease_ttl_seconds: 3s
                """, "test", FILE);

        ClusterSettings c = config.settings().cluster().orElseThrow();
        assertThat(c.nodeId()).isEqualTo("node-b");
        assertThat(c.leaseTtl()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void clusterSectionTakesOnlyClusterSettingsAndEachOnce() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThatThrownBy(() -> loader.parse("cluster:\n  port: 0\n", "test", FILE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster: unknown setting 'port'");
        assertThatThrownBy(() -> loader.parse("server:\n  node_id: a\ncluster:\n  node_id: b\n", "test", FILE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("node_id");
    }

    @Test
    void environmentGoesOverTheClusterSection() {
        HeadendConfig config = new ConfigLoader(Map.of("HEADEND_NODE_ID", "from-env"))
                .parse("cluster:\n  redis_url: redis://127.0.0.1:6379\n  node_id: from-file\n", "test", FILE);

        assertThat(config.settings().cluster().map(ClusterSettings::nodeId)).isEqualTo(Optional.of("from-env"));
    }
}
