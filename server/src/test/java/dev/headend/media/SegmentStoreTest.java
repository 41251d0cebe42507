package dev.headend.media;

import static dev.headend.media.SampleTs.CHUNK;
import static dev.headend.media.SampleTs.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.time.TimeSource;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@NeedsFfmpeg
class SegmentStoreTest {
    /** Segments per run of the sample: 0.5 s, five of 1 s, and the rest when the run ends. */
    private static final int PER_RUN = 7;
    private static final Duration NO_WAIT = Duration.ofMillis(10);

    private static byte[] sample;

    private final List<Segment> closed = new ArrayList<>();

    @BeforeAll
    static void encodeSample() throws Exception {
        sample = SampleTs.sample();
    }

    @Test
    void sequenceNumbersAreConsecutiveFromZero() {
        SegmentStore store = store(6);

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        assertThat(closed).extracting(Segment::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(closed).noneMatch(Segment::discontinuity);
        assertThat(closed).allSatisfy(s -> assertThat(store.segment(s.sequence())).containsSame(s));
        assertThat(store.continuation()).isEqualTo(new SegmentStore.Continuation(PER_RUN, 0));
    }

    @Test
    void secondRunContinuesNumberingWithADiscontinuity() {
        SegmentStore store = store(6);

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        assertThat(closed).extracting(Segment::sequence)
                .containsExactlyElementsOf(LongStream.range(0, 2 * PER_RUN).boxed().toList());
        assertThat(closed).filteredOn(Segment::discontinuity).extracting(Segment::sequence)
                .containsExactly((long) PER_RUN);
        assertThat(closed.subList(0, PER_RUN)).allMatch(s -> s.discontinuitySequence() == 0);
        assertThat(closed.subList(PER_RUN, 2 * PER_RUN)).allMatch(s -> s.discontinuitySequence() == 1);
        assertThat(closed.get(PER_RUN).duration()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void newStoreContinuesTheNumberingOfTheChannelsPreviousStream() {
        SegmentStore first = store(6);
        SampleTs.feed(first.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        closed.clear();

        SegmentStore next = new SegmentStore(1, 6, first.continuation(), TimeSource.system());
        SampleTs.feed(next.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        assertThat(closed.getFirst().sequence()).isEqualTo(PER_RUN);
        assertThat(closed.getFirst().discontinuity()).isTrue();
        assertThat(closed.getFirst().discontinuitySequence()).isEqualTo(1);
        assertThat(closed.subList(1, closed.size())).noneMatch(Segment::discontinuity);
    }

    @Test
    void playlistWindowHoldsAtMostWindowClosedSegmentsEndingWithTheNewest() {
        SegmentStore store = store(3);
        List<PlaylistView> views = new ArrayList<>();

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK, () -> views.add(store.playlist()));

        assertThat(views).allSatisfy(v -> {
            assertThat(v.window()).hasSizeLessThanOrEqualTo(3).allMatch(Segment::closed);
            assertThat(v.targetDuration()).isEqualTo(1);
            assertThat(v.ended()).isFalse();
        });
        assertThat(views).extracting(v -> v.window().size()).contains(0, 1, 2, 3);
        assertThat(views.getLast().window()).extracting(Segment::sequence).containsExactly(4L, 5L, 6L);
    }

    @Test
    void openSegmentIsNeitherListedNorServed() {
        SegmentStore store = store(6);
        TsSegmenter run = store.newRun(1.0, closed::add).segmenter();

        run.accept(sample, 0, sample.length);

        List<Segment> window = store.playlist().window();
        long open = window.getLast().sequence() + 1;
        assertThat(store.segment(open)).isEmpty();
        assertThat(closed).extracting(Segment::sequence).doesNotContain(open);
    }

    @Test
    void olderSegmentsStayRetrievableForTwiceTheWindowPlusTwo() {
        SegmentStore store = store(3);

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        long newest = 2 * PER_RUN - 1;
        for (long back = 0; back <= 2 * 3 + 2; back++) {
            assertThat(store.segment(newest - back)).as("segment " + (newest - back)).isPresent();
        }
        assertThat(store.segment(newest - (2 * 3 + 3))).isEmpty();
        assertThat(store.segment(0)).isEmpty();
        assertThat(store.segment(newest + 1)).isEmpty();
    }

    @Test
    void liveCursorStartsAtTheNewestSegment() throws Exception {
        SegmentStore store = store(6);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        TsCursor cursor = store.liveCursor();

        assertThat(store.read(cursor, NO_WAIT)).isInstanceOfSatisfying(TsChunk.Data.class,
                d -> assertThat(bytes(d)).isEqualTo(SampleTs.bytes(closed.getLast())));
        assertThat(store.read(cursor, NO_WAIT)).isInstanceOf(TsChunk.Pending.class);
    }

    @Test
    void liveCursorWithABufferStartsAtTheNewestSegmentThatFarBack() throws Exception {
        SegmentStore store = store(6);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        int first = closed.size() - 1;
        double covered = closed.get(first).duration();
        while (covered < 2.5) {
            covered += closed.get(--first).duration();
        }
        int expected = first;

        TsCursor cursor = store.liveCursor(Duration.ofMillis(2500));

        assertThat(closed.size() - expected).as("the newest segments are shorter than 2.5 s").isGreaterThan(1);
        assertThat(closed.get(expected).independent()).isTrue();
        assertThat(store.read(cursor, NO_WAIT)).isInstanceOfSatisfying(TsChunk.Data.class,
                d -> assertThat(bytes(d)).isEqualTo(SampleTs.bytes(closed.get(expected))));
        assertThat(store.liveCursor(Duration.ofHours(1))).as("at most the oldest retained")
                .satisfies(c -> assertThat(store.read(c, NO_WAIT)).isInstanceOfSatisfying(TsChunk.Data.class,
                        d -> assertThat(bytes(d)).isEqualTo(SampleTs.bytes(closed.getFirst()))));
    }

    @Test
    void bytesPerSecondIsASegmentsOwnOrTheNewestClosedSegmentsBytesOverTheirDuration() {
        SegmentStore store = store(6);
        assertThat(store.bytesPerSecond()).as("nothing closed yet").isZero();
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        List<Segment> newest = closed.subList(closed.size() - SegmentStore.RATE_SEGMENTS, closed.size());
        long bytes = newest.stream().mapToLong(s -> s.fill().size()).sum();
        double seconds = newest.stream().mapToDouble(Segment::duration).sum();

        assertThat(store.bytesPerSecond()).isEqualTo(Math.round(bytes / seconds));
        Segment second = closed.get(1);
        assertThat(store.bytesPerSecond(second.sequence())).as("a closed segment's own rate")
                .isEqualTo(Math.round(second.fill().size() / second.duration()));
        assertThat(store.bytesPerSecond(closed.getLast().sequence() + 1)).as("one not there yet: the stream's")
                .isEqualTo(store.bytesPerSecond());
    }

    @Test
    void readReturnsEverySegmentsBytesInOrderThenEndAfterTheStoreEnds() throws Exception {
        SegmentStore store = store(6);
        TsCursor cursor = store.liveCursor();
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        store.end();

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        TsChunk chunk;
        while ((chunk = store.read(cursor, NO_WAIT)) instanceof TsChunk.Data d) {
            received.write(d.data(), d.offset(), d.length());
        }

        assertThat(chunk).isInstanceOf(TsChunk.End.class);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        closed.forEach(s -> expected.writeBytes(SampleTs.bytes(s)));
        assertThat(received.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(cursor.skips()).isZero();
    }

    @Test
    void aRunsFirstSegmentIsStagedUntilItCloses() throws Exception {
        SegmentStore store = store(6);
        TsCursor cursor = store.liveCursor();
        TsSegmenter run = store.newRun(1.0, closed::add).segmenter();

        run.accept(sample, 0, 20_000);

        assertThat(store.read(cursor, NO_WAIT)).isInstanceOf(TsChunk.Pending.class);
        assertThat(store.hasSegment()).isFalse();
    }

    @Test
    void readerGetsTheOpenSegmentsBytesAsTheyArrive() throws Exception {
        SegmentStore store = store(6);
        TsSegmenter run = store.newRun(1.0, closed::add).segmenter();
        int fed = 0;
        while (closed.isEmpty()) {
            int n = Math.min(CHUNK, sample.length - fed);
            run.accept(sample, fed, n);
            fed += n;
        }
        TsCursor cursor = store.liveCursor();
        int part = 20_000;

        run.accept(sample, fed, part);
        TsChunk first = store.read(cursor, NO_WAIT);
        assertThat(closed).hasSize(1);
        run.accept(sample, fed + part, sample.length - fed - part);
        run.finish();
        TsChunk rest = store.read(cursor, NO_WAIT);

        assertThat(first).isInstanceOf(TsChunk.Data.class);
        assertThat(rest).isInstanceOf(TsChunk.Data.class);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        received.writeBytes(bytes((TsChunk.Data) first));
        received.writeBytes(bytes((TsChunk.Data) rest));
        assertThat(received.toByteArray()).isEqualTo(SampleTs.bytes(closed.get(1)));
    }

    @Test
    void cursorThatFellBehindJumpsToTheNewestSegmentAndCountsASkip() throws Exception {
        SegmentStore store = store(2);
        TsCursor cursor = store.liveCursor();
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);
        assertThat(store.segment(0)).as("segment 0 is no longer retained").isEmpty();

        TsChunk chunk = store.read(cursor, NO_WAIT);

        assertThat(chunk).isInstanceOfSatisfying(TsChunk.Data.class,
                d -> assertThat(bytes(d)).isEqualTo(SampleTs.bytes(closed.getLast())));
        assertThat(cursor.skips()).isEqualTo(1);
    }

    @Test
    void endedStoreAcceptsNoNewSegments() throws Exception {
        SegmentStore store = store(6);
        store.end();

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        assertThat(closed).isEmpty();
        assertThat(store.hasSegment()).isFalse();
        assertThat(store.read(store.liveCursor(), NO_WAIT)).isInstanceOf(TsChunk.End.class);
    }

    private static byte[] bytes(TsChunk.Data d) {
        byte[] b = new byte[d.length()];
        System.arraycopy(d.data(), d.offset(), b, 0, d.length());
        return b;
    }
}
