package dev.headend.media;

import static dev.headend.media.SampleTs.CHUNK;
import static dev.headend.media.SampleTs.PACKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import dev.headend.support.NeedsFfmpeg;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NeedsFfmpeg
class TsSegmenterTest {
    @TempDir
    static Path dir;

    private static byte[] sample;

    private final List<Segment> closed = new ArrayList<>();
    private final SegmentStore store = SampleTs.store(6);

    @BeforeAll
    static void encodeSample() throws Exception {
        sample = SampleTs.sample();
    }

    @Test
    void firstSegmentIsHalfASecondAndTheOthersOneSecond() {
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        assertThat(closed).hasSize(7);
        assertThat(closed.getFirst().duration()).isCloseTo(0.5, within(0.05));
        for (Segment s : closed.subList(1, 6)) {
            assertThat(s.duration()).as("segment " + s.sequence()).isCloseTo(1.0, within(0.05));
        }
        assertThat(closed.getLast().duration()).isBetween(0.001, 1.0);
    }

    @Test
    void everySegmentStartsWithPatAndPmt() {
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        assertThat(closed).isNotEmpty().allSatisfy(s -> {
            byte[] ts = SampleTs.bytes(s);
            assertThat(ts.length % PACKET).isZero();
            assertThat(SampleTs.pid(ts, 0)).isZero();
            assertThat(SampleTs.tableId(ts, 0)).as("PAT table id").isEqualTo(0x00);
            assertThat(SampleTs.tableId(ts, 1)).as("PMT table id").isEqualTo(0x02);
            for (int p = 0; p < ts.length / PACKET; p++) {
                assertThat(ts[p * PACKET] & 0xff).as("sync byte of packet " + p).isEqualTo(0x47);
            }
        });
    }

    @Test
    void everySegmentStartsWithAKeyFrameAndNoFrameIsLost() throws Exception {
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        int frames = 0;
        for (Segment s : closed) {
            List<Boolean> keys = SampleTs.videoKeyFrames(dir, SampleTs.bytes(s));
            assertThat(keys).as("segment " + s.sequence()).isNotEmpty();
            assertThat(keys.getFirst()).as("first frame of segment " + s.sequence() + " is a key frame").isTrue();
            frames += keys.size();
        }
        assertThat(frames).as("6 s at 25 fps").isEqualTo(150);
    }

    @Test
    void readSizesDoNotChangeTheSegments() {
        List<byte[]> reference = segmentBytes(sample.length);

        for (int chunk : new int[] {1, 187, PACKET, CHUNK, 65_536}) {
            assertThat(segmentBytes(chunk)).as("chunk " + chunk).containsExactlyElementsOf(reference);
        }
    }

    @Test
    void sourceWithoutKeyframesIsCutSoNoSegmentExceedsTheTargetDuration() throws Exception {
        byte[] longGop = SampleTs.generateWithOneKeyframe(dir);

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), longGop, CHUNK);

        assertThat(closed).hasSizeGreaterThan(3);
        assertThat(closed).allSatisfy(s -> assertThat(Math.round(s.duration()))
                .as("EXTINF of segment %d (%.3f s) rounded", s.sequence(), s.duration())
                .isLessThanOrEqualTo(store.targetDuration()));
        assertThat(closed.getFirst().independent()).isTrue();
        assertThat(closed.subList(1, closed.size())).as("cut short, without a keyframe")
                .noneMatch(Segment::independent);
        assertThat(PlaylistWriter.render(store.playlist(), "")).doesNotContain("#EXT-X-INDEPENDENT-SEGMENTS");
    }

    @Test
    void randomBytesNeverThrowAndProduceNoSegment() {
        byte[] garbage = new byte[1_000_000];
        new Random(42).nextBytes(garbage);

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), garbage, CHUNK);

        assertThat(store.hasSegment()).isFalse();
        assertThat(closed).isEmpty();
    }

    @Test
    void pmtSectionCutOffByThePacketEndNeverThrows() {
        byte[] pat = packetWithPid(sample, 0);
        byte[] pmt = packetWithPid(sample, SampleTs.PMT_PID);
        assertThat(pmt[3] & 0x20).as("PMT packet without adaptation field").isZero();
        pmt[4] = (byte) 179; // pointer field: the section would start 4 bytes before the packet ends
        byte[] input = new byte[2 * PACKET];
        System.arraycopy(pat, 0, input, 0, PACKET);
        System.arraycopy(pmt, 0, input, PACKET, PACKET);

        assertThatCode(() -> SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), input, CHUNK)).doesNotThrowAnyException();
        assertThat(closed).isEmpty();
    }

    @Test
    void truncatedKeyframePacketProducesNoSegment() {
        int keyPacket = firstVideoRandomAccessPacket(sample);

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), Arrays.copyOf(sample, keyPacket * PACKET + PACKET - 1), CHUNK);
        assertThat(closed).isEmpty();

        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), Arrays.copyOf(sample, keyPacket * PACKET + PACKET), CHUNK);
        assertThat(closed).hasSize(1);
    }

    private List<byte[]> segmentBytes(int chunk) {
        List<Segment> segments = new ArrayList<>();
        SegmentStore s = SampleTs.store(6);
        SampleTs.feed(s.newRun(1.0, segments::add).segmenter(), sample, chunk);
        return segments.stream().map(SampleTs::bytes).toList();
    }

    private static byte[] packetWithPid(byte[] ts, int pid) {
        for (int p = 0; p < ts.length / PACKET; p++) {
            if (SampleTs.pid(ts, p) == pid) {
                return Arrays.copyOfRange(ts, p * PACKET, p * PACKET + PACKET);
            }
        }
        throw new AssertionError("no packet with PID " + pid + " in the sample");
    }

    /** Index of the first video packet whose adaptation field sets random_access_indicator. */
    private static int firstVideoRandomAccessPacket(byte[] ts) {
        for (int p = 0; p < ts.length / PACKET; p++) {
            int o = p * PACKET;
            boolean adaptation = (ts[o + 3] & 0x20) != 0 && (ts[o + 4] & 0xff) > 0;
            if (SampleTs.pid(ts, p) == SampleTs.VIDEO_PID && adaptation && (ts[o + 5] & 0x40) != 0) {
                return p;
            }
        }
        throw new AssertionError("no video keyframe in the sample");
    }
}
