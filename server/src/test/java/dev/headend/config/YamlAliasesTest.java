package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * YAML anchors, aliases and merge keys mean what YAML says they mean (Jackson's tree reader
 * would give an alias's name as its value), alias expansion is bounded, and the other things a
 * document could hide (a key twice, a second document) are refused with the line.
 */
class YamlAliasesTest {
    private static final Path FILE = Path.of("/etc/headend/headend.yml");

    @Test
    void anAliasOfAScalarIsTheAnchoredValue() {
        List<Channel> channels = parse("""
                channels:
                  - id: lobby
                    name: &nm "Lobby Camera"
                    group: *nm
                    source: "test:"
                """);

        assertThat(channels.getFirst().name()).isEqualTo("Lobby Camera");
        assertThat(channels.getFirst().group()).contains("Lobby Camera");
    }

    @Test
    void anAliasOfAMappingIsACopyOfIt() {
        List<Channel> channels = parse("""
                channels:
                  - id: a
                    source: "test:"
                    profile: &small {type: h264, width: 320, height: 180, preset: ultrafast}
                  - id: b
                    source: "test:"
                    profile: *small
                """);

        assertThat(channels.get(1).profile()).isEqualTo(channels.get(0).profile())
                .isInstanceOfSatisfying(OutputProfile.H264.class, p -> assertThat(p.width()).contains(320));
    }

    @Test
    void aMergeKeyAddsTheEntriesTheMappingDoesNotSet() {
        List<Channel> channels = parse("""
                channels:
                  - &defaults
                    id: first
                    group: Cameras
                    linger_seconds: 30
                    source: "test:"
                  - <<: *defaults
                    id: second
                    linger_seconds: 5
                """);

        Channel second = channels.get(1);
        assertThat(second.id()).isEqualTo("second");
        assertThat(second.group()).contains("Cameras");
        assertThat(second.linger()).isEqualTo(Duration.ofSeconds(5));
        assertThat(channels.get(0).linger()).as("the anchored mapping is unchanged").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void inAListOfMergedMappingsTheFirstWins() {
        Channel channel = parse("""
                channels:
                  - id: a
                    source: "test:"
                    profile: &one {type: h264, width: 320}
                  - id: b
                    source: "test:"
                    profile: &two {type: h264, width: 640, height: 360}
                  - id: c
                    source: "test:"
                    profile:
                      <<: [*one, *two]
                      preset: ultrafast
                """).get(2);

        assertThat(channel.profile()).isInstanceOfSatisfying(OutputProfile.H264.class, p -> {
            assertThat(p.width()).contains(320);
            assertThat(p.height()).contains(360);
            assertThat(p.preset()).isEqualTo("ultrafast");
        });
    }

    @Test
    void aMergeKeyTakesOnlyMappings() {
        assertError("""
                channels:
                  - id: a
                    <<: "test:"
                """, "line 3: a merge key (<<) takes a mapping or a list of mappings, as in '<<: *defaults'");
    }

    @Test
    void anAliasWithoutAnAnchorBeforeItIsRefused() {
        assertError("""
                channels:
                  - id: a
                    name: *later
                    source: &later "test:"
                """, "line 3: alias *later has no anchor &later before it");
    }

    @Test
    void anAliasInsideItsOwnAnchorIsRefused() {
        assertError("""
                channels: &all
                  - id: a
                    source: "test:"
                  - *all
                """, "line 4: alias *all has no anchor &all before it");
    }

    @Test
    void anAliasExpansionBombIsRefusedQuickly() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }

        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertError(bomb.toString(), "with its aliases expanded the document has more than"));
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertError("""
                channels:
                  - id: a
                    source: "test:"
                    id: b
                """, "line 4: key 'id' appears twice in the same mapping");
    }

    @Test
    void twoMergeKeysInOneMappingAreRefused() {
        assertError("""
                channels:
                  - id: a
                    source: "test:"
                    <<: {group: x}
                    <<: {name: y}
                """, "line 5: key '<<' appears twice");
    }

    @Test
    void aSecondDocumentIsRefused() {
        assertError("""
                channels: []
                ---
                channels: []
                """, "line 3: a second YAML document starts here");
    }

    @Test
    void aBinaryValueIsRefused() {
        assertError("channels:\n  - id: a\n    name: !!binary aGVsbG8=\n", "line 3: binary values (!!binary) cannot be used");
    }

    @Test
    void deepNestingIsRefused() {
        assertError("server: " + "[".repeat(60) + "]".repeat(60) + "\n", "nested more than 50 deep");
    }

    @Test
    void scalarsAreReadAsBefore() {
        HeadendConfig config = new ConfigLoader(Map.of()).parse("""
                server:
                  port: 8081
                channels:
                  - {id: "007", name: 12, number: 3, on_demand: false, source: "test:"}
                """, "test", FILE);

        Channel c = config.channels().getFirst();
        assertThat(config.settings().http().port()).isEqualTo(8081);
        assertThat(c.id()).isEqualTo("007");
        assertThat(c.name()).isEqualTo("12");
        assertThat(c.number()).isEqualTo(Optional.of(3));
        assertThat(c.onDemand()).isFalse();
    }

    private static List<Channel> parse(String yaml) {
        return new ConfigLoader(Map.of()).parse(yaml, "headend.yml", FILE).channels();
    }

    private static void assertError(String yaml, String... messageParts) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("headend.yml, line ")
                .hasMessageContainingAll(messageParts);
    }
}
