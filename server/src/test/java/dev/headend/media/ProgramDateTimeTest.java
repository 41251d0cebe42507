package dev.headend.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import dev.headend.support.SyntheticTs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Program date-times strictly increase and are at least the previous segment's duration apart,
 * whatever the wall clock said when a segment's first packet arrived. Manual clock, synthetic
 * MPEG-TS, no FFmpeg.
 */
class ProgramDateTimeTest {
    private final ManualTime time = new ManualTime();
    private final SegmentStore store = new SegmentStore(1, 30, SegmentStore.Continuation.FIRST, time);

    @Test
    void segmentsOfASourceReadFasterThanRealTimeAreDatedByTheirDurations() {
        TsSegmenter segmenter = store.newRun(1.0, s -> {}).segmenter();
        byte[] burst = SyntheticTs.standard().seconds(6);

        segmenter.accept(burst, 0, burst.length);

        List<Segment> listed = store.playlist().window();
        assertThat(listed).hasSize(5);
        assertThat(listed.getFirst().programDateTime()).isEqualTo(ManualTime.START_WALL);
        assertDatesFollowDurations(listed);
        assertThat(listed.getLast().programDateTime()).isEqualTo(ManualTime.START_WALL.plusSeconds(4));
    }

    @Test
    void aNewRunThatTakesOverAfterTheSlateIsDatedAfterIt() {
        SyntheticTs first = SyntheticTs.standard();
        SegmentStore.Run run = store.newRun(1.0, s -> {});
        byte[] ts = first.seconds(3);
        run.segmenter().accept(ts, 0, ts.length);
        time.advance(Duration.ofMillis(3_000));
        run.retire();
        assertThat(store.appendSlate(slate(), 1.0, 0)).isTrue();

        SyntheticTs second = SyntheticTs.standard();
        TsSegmenter next = store.newRun(1.0, s -> {}).segmenter();
        byte[] firstFrames = second.seconds(0.6);
        next.accept(firstFrames, 0, firstFrames.length);
        Instant secondRunStarted = time.wallClock();
        time.advance(Duration.ofMillis(500));
        assertThat(store.appendSlate(slate(), 1.0, 0)).isTrue();
        time.advance(Duration.ofMillis(500));
        byte[] rest = second.seconds(2.4);
        next.accept(rest, 0, rest.length);

        List<Segment> listed = store.playlist().window();
        Segment takeover = listed.stream().filter(Segment::discontinuity).reduce((a, b) -> b).orElseThrow();
        assertThat(takeover.programDateTime()).as("the new run's first packet came before the last slate segment")
                .isAfter(secondRunStarted);
        assertThat(listed.stream().filter(Segment::discontinuity).count()).isEqualTo(2);
        assertDatesFollowDurations(listed);
    }

    @Test
    void aSegmentOpenedLaterThanThePreviousOneEndedKeepsItsWallClockDate() {
        assertThat(store.appendSlate(slate(), 1.0, 0)).isTrue();
        time.advance(Duration.ofSeconds(5));
        assertThat(store.appendSlate(slate(), 1.0, 0)).isTrue();

        List<Segment> listed = store.playlist().window();
        assertThat(listed.getLast().programDateTime()).isEqualTo(ManualTime.START_WALL.plusSeconds(5));
    }

    /** Each date is at least the previous date plus the previous duration (so strictly later). */
    private static void assertDatesFollowDurations(List<Segment> segments) {
        for (int i = 1; i < segments.size(); i++) {
            Segment previous = segments.get(i - 1);
            Instant earliest = previous.programDateTime().plusNanos(Math.round(previous.duration() * 1e9));
            assertThat(segments.get(i).programDateTime()).as("date of segment %d", segments.get(i).sequence())
                    .isAfterOrEqualTo(earliest).isAfter(previous.programDateTime());
        }
    }

    private static byte[] slate() {
        return SyntheticTs.standard().seconds(1);
    }
}
