package dev.headend.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import dev.headend.support.ManualTime;
import dev.headend.support.SyntheticTs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Copied video is cut only at the source's keyframes: the target duration fits the source's
 * keyframe interval (decided by the first segment), a source whose keyframes are too far apart
 * is refused, and a later group of pictures longer than the target is cut short and listed as
 * not independent. Synthetic MPEG-TS, no FFmpeg.
 */
class KeyframeTargetTest {
    private static final TargetDuration COPY = new TargetDuration.FitKeyframes(4, 10);

    private final ManualTime time = new ManualTime();
    private final List<Segment> closed = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    @Test
    void eightSecondKeyframesGetAnEightSecondTargetAndEverySegmentStartsWithAKeyframe() {
        SegmentStore store = new SegmentStore(COPY, 6, SegmentStore.Continuation.FIRST, time);

        feed(store, new SyntheticTs(25, 200), 40);

        assertThat(store.targetDuration()).isEqualTo(8);
        assertThat(closed).hasSizeGreaterThanOrEqualTo(4).allSatisfy(s -> {
            assertThat(s.independent()).as("segment %d starts with a keyframe", s.sequence()).isTrue();
            assertThat(s.duration()).as("segment %d", s.sequence()).isCloseTo(8.0, within(0.001));
        });
        assertThat(PlaylistWriter.render(store.playlist(), "")).contains("#EXT-X-TARGETDURATION:8\n")
                .contains("#EXT-X-INDEPENDENT-SEGMENTS\n");
        assertThat(refusals).isEmpty();
    }

    @Test
    void twoSecondKeyframesKeepTheMinimumTargetAndTwoSecondSegments() {
        SegmentStore store = new SegmentStore(COPY, 6, SegmentStore.Continuation.FIRST, time);

        feed(store, new SyntheticTs(25, 50), 20);

        assertThat(store.targetDuration()).isEqualTo(4);
        assertThat(closed.subList(0, closed.size() - 1)).hasSize(9).allSatisfy(s -> {
            assertThat(s.independent()).isTrue();
            assertThat(s.duration()).isCloseTo(2.0, within(0.001));
        });
    }

    @Test
    void keyframesFurtherApartThanTheLongestTargetRefuseTheRunNamingProfileH264() {
        SegmentStore store = new SegmentStore(COPY, 6, SegmentStore.Continuation.FIRST, time);

        feed(store, new SyntheticTs(25, 300), 30);

        assertThat(refusals).singleElement().asString().contains("10.4 s").contains("profile: h264");
        assertThat(closed).isEmpty();
        assertThat(store.hasSegment()).isFalse();
        assertThat(store.playlist().window()).isEmpty();
        assertThat(store.targetDuration()).as("still undecided").isEqualTo(4);
    }

    @Test
    void theTargetStaysOnceDecidedAndALongerGroupOfPicturesIsCutShortAndListedAsDependent() {
        SegmentStore store = new SegmentStore(COPY, 3, SegmentStore.Continuation.FIRST, time);
        feed(store, new SyntheticTs(25, 100), 8);
        assertThat(store.targetDuration()).isEqualTo(4);
        closed.clear();

        feed(store, new SyntheticTs(25, 200), 16);

        assertThat(store.targetDuration()).isEqualTo(4);
        assertThat(closed).allSatisfy(s -> assertThat(s.duration())
                .as("segment %d", s.sequence()).isLessThanOrEqualTo(4 + SegmentStore.LONGEST_OVER_TARGET));
        assertThat(closed).anyMatch(s -> !s.independent());
        assertThat(closed).filteredOn(Segment::discontinuity).allMatch(Segment::independent);
        String playlist = PlaylistWriter.render(store.playlist(), "");
        assertThat(playlist).contains("#EXT-X-TARGETDURATION:4\n").doesNotContain("INDEPENDENT-SEGMENTS");
    }

    @Test
    void aFixedTargetIsNeverRaisedAndNeverRefuses() {
        SegmentStore store = new SegmentStore(new TargetDuration.Fixed(1), 6, SegmentStore.Continuation.FIRST, time);

        feed(store, new SyntheticTs(25, 200), 16);

        assertThat(store.targetDuration()).isEqualTo(1);
        assertThat(refusals).isEmpty();
        assertThat(closed).hasSizeGreaterThan(10).allSatisfy(s -> assertThat(Math.round(s.duration()))
                .isLessThanOrEqualTo(1L));
        assertThat(closed).filteredOn(Segment::independent).hasSize(2);
    }

    @Test
    void invalidRulesAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TargetDuration.FitKeyframes(4, 3));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TargetDuration.Fixed(0));
    }

    private void feed(SegmentStore store, SyntheticTs source, int seconds) {
        TsSegmenter segmenter = store.newRun(1.0, closed::add, refusals::add).segmenter();
        byte[] ts = source.seconds(seconds);
        segmenter.accept(ts, 0, ts.length);
        segmenter.finish();
    }
}
