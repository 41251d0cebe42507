package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.SlateLook.Audio;
import dev.headend.channel.SlateLook.Visual;
import dev.headend.channel.SlateLook;
import dev.headend.media.TsRetimer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestPool;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NeedsFfmpeg
class SlateFeedTest {
    private static final int SECONDS = 2;
    private static final int FPS = 25;
    private static final long FRAME = 90_000 / FPS;
    /** 1024 samples at 48 kHz, in 90 kHz ticks. */
    private static final long AAC_FRAME = 1920;
    private static final long START = 900_000;
    private static final long WRAP = 1L << 33;
    private static final int VIDEO_PID = 0x100;
    private static final int AUDIO_PID = 0x101;

    @TempDir
    static Path dir;

    private static SlateClip clip;

    @BeforeAll
    static void makeClip() throws Exception {
        MediaFormat format = new MediaFormat(320, 180, FPS, Optional.of(new MediaFormat.Audio(48_000, 2)));
        clip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", Files.createDirectory(dir.resolve("work")), format,
                SlateLook.of(Visual.TEXT, Audio.SINE).withChannelLine("7 · Demo News"), "", SECONDS);
    }

    @Test
    void fiveSegmentsBackToBackHaveVideoPtsAdvancingOneFrameAtATimeFromTheStart() throws Exception {
        List<SlateSegment> segments = feed(START, 5);

        List<long[]> frames = videoFrames(join(segments));

        assertThat(frames).hasSize(5 * SECONDS * FPS);
        assertThat(frames.getFirst()[0]).isEqualTo(START);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i)[0] - frames.get(i - 1)[0]).as("PTS step before frame " + i).isEqualTo(FRAME);
            assertThat(frames.get(i)[1] == 1).as("frame " + i + " is a keyframe").isEqualTo(i % (SECONDS * FPS) == 0);
        }
    }

    @Test
    void eachSegmentLastsTheSegmentDurationAndThePtsGoesOnAfterTheLast() {
        SlateFeed feed = new SlateFeed(clip, START);

        for (int i = 0; i < 5; i++) {
            assertThat(feed.next().seconds()).as("segment " + i).isEqualTo(SECONDS);
        }

        assertThat(feed.nextPts90k()).isEqualTo(START + 5 * SECONDS * 90_000L);
    }

    @Test
    void audioRunsOnAcrossTheLoopWithoutGapOrOverlapOfMoreThanHalfAnAacFrame() throws Exception {
        List<Long> pts = audioPts(join(feed(START, 5)));

        assertThat(pts.getFirst()).as("audio starts within a frame of the video").isBetween(START - AAC_FRAME, START);
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i) - pts.get(i - 1)).as("step before audio frame " + i)
                    .isBetween(AAC_FRAME / 2, AAC_FRAME * 3 / 2);
        }
    }

    @Test
    void aWholeLoopOfAudioEndsWithinHalfAnAacFrameOfItsVideo() throws Exception {
        List<Long> pts = audioPts(join(feed(START, 2 * clip.segmentCount())));

        long videoEnd = START + 2 * clip.segmentCount() * SECONDS * 90_000L;
        assertThat(pts.getLast() + AAC_FRAME).isBetween(videoEnd - AAC_FRAME / 2, videoEnd + AAC_FRAME / 2);
    }

    @Test
    void continuityCountersRunOnPerPidAcrossSegments() {
        TsView ts = TsView.of(join(feed(START, 5)));

        Map<Integer, Integer> last = new HashMap<>();
        for (TsView.Packet p : ts.packets()) {
            Integer previous = last.put(p.pid(), p.counter());
            if (previous != null) {
                int expected = p.payload() ? (previous + 1) & 0xf : previous;
                assertThat(p.counter()).as("counter of packet " + p.index() + " on PID " + p.pid())
                        .isEqualTo(expected);
            }
        }
        assertThat(last.keySet()).contains(0, VIDEO_PID, AUDIO_PID);
    }

    @Test
    void onlyTheFirstPacketOfEachPidInTheFirstSegmentIsMarkedDiscontinuousWhereItHasAnAdaptationField() {
        List<SlateSegment> segments = feed(START, 3);

        Set<Integer> seen = new HashSet<>();
        List<Integer> marked = new ArrayList<>();
        for (TsView.Packet p : TsView.of(join(segments)).packets()) {
            boolean first = seen.add(p.pid());
            assertThat(p.discontinuity()).as("flag of packet " + p.index() + " on PID " + p.pid())
                    .isEqualTo(first && p.adaptationFlags());
            if (p.discontinuity()) {
                marked.add(p.pid());
            }
        }
        assertThat(marked).contains(VIDEO_PID, AUDIO_PID);
        assertThat(TsView.of(segments.getFirst().bytes()).packets().stream().filter(TsView.Packet::discontinuity))
                .hasSameSizeAs(marked);
    }

    @Test
    void pcrRunsOnAcrossSegmentsAheadOfNoVideoFrame() {
        List<Long> pcrs = TsView.of(join(feed(START, 5))).packets().stream().filter(TsView.Packet::hasPcr)
                .map(TsView.Packet::pcrBase).toList();

        assertThat(pcrs).hasSizeGreaterThan(10);
        for (int i = 1; i < pcrs.size(); i++) {
            assertThat(pcrs.get(i) - pcrs.get(i - 1)).as("PCR step before PCR " + i).isBetween(1L, 90_000L / 10);
        }
        assertThat(pcrs.getFirst()).as("first PCR precedes the first frame's PTS").isLessThan(START);
    }

    @Test
    void theJoinedSegmentsDecodeWithoutAnyWarning() throws Exception {
        Path joined = dir.resolve("joined.ts");
        Files.write(joined, join(feed(START, 5)));

        assertThat(Tools.ffmpeg("-i", joined.toString(), "-f", "null", "-")).isEmpty();
    }

    @Test
    void timestampsWrapAround33BitsWithoutAJump() throws Exception {
        long start = WRAP - 3 * 90_000L;
        SlateFeed feed = new SlateFeed(clip, start);
        List<SlateSegment> segments = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            segments.add(feed.next());
        }

        List<long[]> frames = videoFrames(join(segments));

        assertThat(Math.floorMod(frames.getFirst()[0], WRAP)).as("ffprobe unwraps; modulo 2^33").isEqualTo(start);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(Math.floorMod(frames.get(i)[0] - frames.get(i - 1)[0], WRAP)).isEqualTo(FRAME);
        }
        assertThat(feed.nextPts90k()).isEqualTo(start + 10 * 90_000L - WRAP);
    }

    @Test
    void feedingLeavesTheSharedClipUntouched() {
        byte[] before = clip.segment(0);

        feed(0, 3);

        assertThat(clip.segment(0)).isEqualTo(before);
    }

    @Test
    void theRetimerRefusesBytesThatAreNotWholeSyncedPackets() {
        TsRetimer retimer = new TsRetimer();
        byte[] unsynced = clip.segment(0);
        unsynced[188] = 0;

        assertThatThrownBy(() -> retimer.retime(new byte[100], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 188");
        assertThatThrownBy(() -> retimer.retime(unsynced, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sync byte at offset 188");
        assertThat(unsynced[188]).isZero();
    }

    private static List<SlateSegment> feed(long start, int count) {
        SlateFeed feed = new SlateFeed(clip, start);
        List<SlateSegment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            segments.add(feed.next());
        }
        return segments;
    }

    private static byte[] join(List<SlateSegment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.forEach(s -> out.writeBytes(s.bytes()));
        return out.toByteArray();
    }

    private static List<Long> audioPts(byte[] ts) throws Exception {
        List<Long> pts = new ArrayList<>();
        Tools.ffprobe(dir, ts, "-select_streams", "a:0", "-show_entries", "packet=pts").path("packets")
                .forEach(p -> pts.add(p.path("pts").asLong()));
        return pts;
    }

    /** PTS and key flag of every video frame, in presentation order, as ffprobe decodes them. */
    private static List<long[]> videoFrames(byte[] ts) throws Exception {
        List<long[]> frames = new ArrayList<>();
        for (JsonNode f : Tools.ffprobe(dir, ts, "-select_streams", "v:0", "-show_entries", "frame=pts,key_frame")
                .path("frames")) {
            frames.add(new long[] {f.path("pts").asLong(), f.path("key_frame").asInt()});
        }
        return frames;
    }
}
