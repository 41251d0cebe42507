package dev.headend.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.SyntheticTs;
import dev.headend.time.TimeSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a segment stays fetchable after it leaves the playlist (synthetic stream, no FFmpeg). */
class SegmentRetentionTest {
    private static final int WINDOW = 3;

    @Test
    void aSegmentStaysAvailableForAWindowAfterLeavingThePlaylistAndOneSegmentMore() {
        SegmentStore store = new SegmentStore(1, WINDOW, SegmentStore.Continuation.FIRST, TimeSource.system());
        TsSegmenter segmenter = store.newRun(1.0, s -> { }).segmenter();
        SyntheticTs ts = SyntheticTs.standard();
        feed(segmenter, ts.frames(WINDOW * 25 + 1));
        assertThat(store.playlist().mediaSequence()).contains(0L);

        feed(segmenter, ts.frames(25));
        assertThat(store.playlist().mediaSequence()).as("segment 0 left the playlist").contains(1L);
        feed(segmenter, ts.frames((WINDOW + 1) * 25));

        assertThat(store.playlist().mediaSequence()).contains((long) WINDOW + 2);
        assertThat(store.segment(0)).as("a window and a segment after it left").isPresent();

        feed(segmenter, ts.frames(25));
        assertThat(store.segment(0)).isEmpty();
        assertThat(store.segment(1)).isPresent();
    }

    @Test
    void segmentsKeptAfterTheWindowBoundHowLongALeftSegmentStaysAvailable() {
        SegmentStore store = new SegmentStore(new TargetDuration.Fixed(1), WINDOW, 2, SegmentStore.Continuation.FIRST,
                TimeSource.system());
        TsSegmenter segmenter = store.newRun(1.0, s -> { }).segmenter();
        SyntheticTs ts = SyntheticTs.standard();
        feed(segmenter, ts.frames(5 * 25 + 1));

        assertThat(store.playlist().mediaSequence()).contains(2L);
        assertThat(store.segment(0)).as("two segments after it left").isPresent();

        feed(segmenter, ts.frames(25));
        assertThat(store.playlist().mediaSequence()).contains(3L);
        assertThat(store.segment(0)).isEmpty();
        assertThat(store.segment(1)).isPresent();
    }

    @Test
    void awaitingListedSegmentsReturnsOnceThePlaylistListsThemOrTheStoreEnded() throws InterruptedException {
        SegmentStore store = new SegmentStore(1, WINDOW, SegmentStore.Continuation.FIRST, TimeSource.system());
        TsSegmenter segmenter = store.newRun(1.0, s -> { }).segmenter();
        SyntheticTs ts = SyntheticTs.standard();
        feed(segmenter, ts.frames(25 + 1));

        assertThat(store.awaitListed(1, Duration.ZERO)).isTrue();
        assertThat(store.awaitListed(2, Duration.ZERO)).isFalse();

        feed(segmenter, ts.frames(25));
        assertThat(store.awaitListed(2, Duration.ZERO)).isTrue();
        assertThat(store.awaitListed(3, Duration.ofMillis(1))).isFalse();

        store.end();
        assertThat(store.awaitListed(3, Duration.ZERO)).as("an ended store lists no more").isTrue();
    }

    private static void feed(TsSegmenter segmenter, byte[] bytes) {
        segmenter.accept(bytes, 0, bytes.length);
    }
}
