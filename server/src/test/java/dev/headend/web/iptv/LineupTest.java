package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.Channel;
import dev.headend.support.TestChannels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Guide numbers: configured ones kept, the others derived from the id and unmoved by other channels. */
class LineupTest {
    private static Channel channel(String id) {
        return TestChannels.onDemand(id, "test:");
    }

    private static Map<String, Integer> numbers(List<Channel> channels) {
        return Lineup.of(channels).entries().stream()
                .collect(Collectors.toMap(e -> e.channel().id(), Lineup.Entry::number));
    }

    @Test
    void configuredNumbersAreKeptAndTheLineupIsSortedByNumber() {
        Lineup lineup = Lineup.of(List.of(TestChannels.numbered(channel("b"), 7), channel("auto"),
                TestChannels.numbered(channel("a"), 2)));

        assertThat(lineup.entries()).extracting(e -> e.channel().id()).containsExactly("a", "b", "auto");
        assertThat(lineup.entries()).extracting(Lineup.Entry::number).startsWith(2, 7);
        assertThat(lineup.byNumber(7)).map(e -> e.channel().id()).contains("b");
        assertThat(lineup.byNumber(8)).isEmpty();
    }

    @Test
    void unnumberedChannelsKeepTheirNumbersWhateverElseIsConfigured() {
        Map<String, Integer> alone = numbers(List.of(channel("lobby"), channel("garden")));
        List<Channel> more = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            more.add(channel("extra-" + i));
        }
        more.add(channel("garden"));
        more.addFirst(channel("lobby"));
        more.add(TestChannels.numbered(channel("news"), 5));

        Map<String, Integer> crowded = numbers(more.reversed());

        assertThat(alone.values()).allSatisfy(n -> assertThat(n).isBetween(Lineup.FIRST_AUTO, Lineup.LAST_AUTO));
        assertThat(crowded).containsEntry("lobby", alone.get("lobby")).containsEntry("garden", alone.get("garden"));
        assertThat(crowded.values()).doesNotHaveDuplicates();
    }

    @Test
    void aClashMovesOnlyTheLaterClaimant() {
        int preferred = numbers(List.of(channel("lobby"))).get("lobby");
        Map<String, Integer> n = numbers(List.of(TestChannels.numbered(channel("news"), preferred), channel("lobby"),
                TestChannels.numbered(channel("sport"), preferred)));

        assertThat(n).containsEntry("news", preferred);
        assertThat(n.get("lobby")).isNotEqualTo(preferred).isBetween(Lineup.FIRST_AUTO, Lineup.LAST_AUTO);
        assertThat(n.get("sport")).isNotEqualTo(preferred).isNotEqualTo(n.get("lobby"));
    }

    @Test
    void aChannelWithoutANumberStillGetsOneWhenNumberedChannelsFillTheWholeAutomaticRange() {
        List<Channel> channels = new ArrayList<>();
        for (int n = 1; n <= 10_000; n++) {
            channels.add(TestChannels.numbered(channel("imported-" + n), n));
        }
        channels.add(channel("lobby"));
        channels.add(channel("garden"));

        Map<String, Integer> numbers = numbers(channels);

        assertThat(numbers).hasSize(10_002).containsEntry("imported-1", 1).containsEntry("imported-10000", 10_000);
        assertThat(numbers.values()).doesNotHaveDuplicates();
        assertThat(numbers.get("garden")).isEqualTo(10_001);
        assertThat(numbers.get("lobby")).isEqualTo(10_002);
    }

    @Test
    void guideIdsAreDottedAndDistinct() {
        Lineup lineup = Lineup.of(List.of(channel("cam_1"), channel("cam-1"), channel("cam1")));

        assertThat(lineup.entries()).extracting(Lineup.Entry::guideId)
                .containsExactlyInAnyOrder("cam.1.headend", "cam-1.headend", "cam1.headend");
    }
}
