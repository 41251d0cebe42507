package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.cluster.PlaylistState.RecentSegment;
import dev.headend.stream.PlaylistContinuity.Resumed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a new owner continues a channel's recorded numbering, and how the recent segments are kept. */
class PlaylistStateTest {
    private static final List<RecentSegment> TWO_SECONDS = List.of(new RecentSegment(38, 2.0, false),
            new RecentSegment(39, 2.0, true), new RecentSegment(40, 2.0, false));

    @Test
    void aRunThatEndedOnPurposeIsContinuedExactly() {
        PlaylistState ended = new PlaylistState("node-a", 3, 42, 5, TWO_SECONDS, false);

        assertThat(ended.resume(Duration.ofHours(2), "node-b", 0, 0)).isEqualTo(new Resumed(42, 5, Optional.empty()));
    }

    @Test
    void aLiveRunOnAnotherNodeWasLostAndTheSegmentsItMayHaveListedSinceAreSkipped() {
        PlaylistState live = new PlaylistState("node-a", 3, 42, 5, TWO_SECONDS, true);

        // 5 s since the record, segments of 2 s: at most 3 listed after it, and one more
        assertThat(live.resume(Duration.ofSeconds(5), "node-b", 0, 0))
                .isEqualTo(new Resumed(46, 9, Optional.of("node-a")));
        assertThat(live.resume(Duration.ZERO, "node-b", 0, 0)).isEqualTo(new Resumed(43, 6, Optional.of("node-a")));
    }

    @Test
    void withoutRecentSegmentsTheShortestSegmentIsAssumed() {
        PlaylistState justStarted = new PlaylistState("node-a", 3, 42, 5, List.of(), true);

        assertThat(justStarted.resume(Duration.ofMillis(1200), "node-b", 0, 0).nextSequence()).isEqualTo(42 + 3 + 1);
    }

    @Test
    void aNodesOwnLiveRunIsNotToldAsLostHere() {
        PlaylistState own = new PlaylistState("node-a", 3, 42, 5, TWO_SECONDS, true);

        assertThat(own.resume(Duration.ofSeconds(1), "node-a", 0, 0).lostNode()).isEmpty();
    }

    @Test
    void thisNodesOwnNumberingWinsWhenItIsAhead() {
        PlaylistState ended = new PlaylistState("node-a", 3, 42, 5, TWO_SECONDS, false);

        assertThat(ended.resume(Duration.ZERO, "node-b", 50, 4)).isEqualTo(new Resumed(50, 5, Optional.empty()));
    }

    @Test
    void theRecentSegmentsRoundTripAndUnreadableEntriesAreLeftOut() {
        PlaylistState s = new PlaylistState("node-a", 3, 42, 5, List.of(new RecentSegment(40, 1.9995, true),
                new RecentSegment(41, 2.0, false)), true);

        assertThat(s.encodedRecent()).isEqualTo("40:2.000:1,41:2.000:0");
        assertThat(PlaylistState.decodeRecent(s.encodedRecent())).containsExactly(new RecentSegment(40, 2.0, true),
                new RecentSegment(41, 2.0, false));
        assertThat(PlaylistState.decodeRecent("x:1:0,42:2.5:1,43:2:yes,44")).containsExactly(
                new RecentSegment(42, 2.5, true));
        assertThat(PlaylistState.decodeRecent("")).isEmpty();
        assertThat(PlaylistState.decodeRecent(null)).isEmpty();
    }
}
