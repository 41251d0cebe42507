package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.Channel;
import dev.headend.media.PlaylistWriter;
import dev.headend.media.Segment;
import dev.headend.support.TestChannels;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The stream manager numbers each new stream where the playlist continuity says, and tells a lost run's end first. */
class PlaylistContinuityTest {
    private static final Channel CAM = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");

    /** What the continuity was asked: channel, next sequence, discontinuity sequence. */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Map<String, PlaylistContinuity.Resumed> answers = new ConcurrentHashMap<>();
    private final StreamHarness h = new StreamHarness(List.of(CAM), (channelId, next, discontinuity) -> {
        asked.add(channelId + " " + next + " " + discontinuity);
        return answers.getOrDefault(channelId, new PlaylistContinuity.Resumed(next, discontinuity, Optional.empty()));
    });

    @Test
    void aStreamContinuesFromTheClusterNumberingWithOneDiscontinuityAtTheJoin() {
        answers.put("cam", new PlaylistContinuity.Resumed(40, 7, Optional.empty()));

        LiveStream s = h.start("cam");
        h.launcher.last().segments(3);

        List<Segment> listed = s.store().playlist().window();
        assertThat(listed).extracting(Segment::sequence).containsExactly(40L, 41L, 42L);
        assertThat(listed).extracting(Segment::discontinuity).containsExactly(true, false, false);
        String playlist = PlaylistWriter.render(s.store().playlist(), "");
        assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:40\n", "#EXT-X-DISCONTINUITY-SEQUENCE:7\n");
        assertThat(playlist.lines().filter(l -> l.equals("#EXT-X-DISCONTINUITY"))).hasSize(1);
        assertThat(h.changes).noneMatch(c -> c instanceof StreamChange.Ended);
    }

    @Test
    void theContinuityIsAskedWithWhatThisServersEarlierStreamsLeft() {
        LiveStream first = h.start("cam");
        h.launcher.last().segments(2);
        first.stop("operator");
        h.manager.sweep();

        h.start("cam");

        assertThat(asked).containsExactly("cam 0 0", "cam 3 0"); // two closed, the third opened when the second closed
    }

    @Test
    void aRunLostWithItsNodeEndsBeforeTheNewStreamStarts() {
        answers.put("cam", new PlaylistContinuity.Resumed(12, 2, Optional.of("node-a")));

        h.start("cam");

        assertThat(h.changes).hasSizeGreaterThanOrEqualTo(2);
        assertThat(h.changes.get(0)).isInstanceOfSatisfying(StreamChange.Ended.class, e -> {
            assertThat(e.channelId()).isEqualTo("cam");
            assertThat(e.reason()).isEqualTo(StreamChange.EndReason.NODE_LOST);
            assertThat(e.detail()).contains("node-a");
        });
        assertThat(h.changes.get(1)).isInstanceOf(StreamChange.Started.class);
        assertThat(h.changes).filteredOn(c -> c instanceof StreamChange.Ended).hasSize(1);
    }
}
