package dev.headend.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headend.support.ToolRun;
import dev.headend.time.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Real MPEG-TS made by FFmpeg for the media tests: 6 s of 25 fps H.264 (keyframes at 0 s,
 * 0.5 s, then every second, as a pipeline with one-second segments makes them) plus AAC audio.
 */
final class SampleTs {
    /** Chunk size for feeding: not a multiple of 188, so packets straddle chunks. */
    static final int CHUNK = 1000;
    /** FFmpeg's PID for the first elementary stream (the video). */
    static final int VIDEO_PID = 0x100;
    /** FFmpeg's PID for the program map table. */
    static final int PMT_PID = 0x1000;
    static final int PACKET = 188;

    /** Encoded on first use, once per JVM. */
    private static byte[] sample;

    private SampleTs() {}

    /** The sample; a copy, so a test may change it. */
    static synchronized byte[] sample() throws IOException, InterruptedException {
        if (sample == null) {
            Path dir = Files.createTempDirectory("headend-sample");
            try {
                sample = encode(dir, "sample.ts", "-force_key_frames",
                        "expr:if(eq(n_forced,0),1,gte(t,(n_forced-0.5)*1))");
            } finally {
                Files.deleteIfExists(dir.resolve("sample.ts"));
                Files.delete(dir);
            }
        }
        return sample.clone();
    }

    /** An empty store of one-second segments that lists {@code window} of them, numbering from zero. */
    static SegmentStore store(int window) {
        return new SegmentStore(1, window, SegmentStore.Continuation.FIRST, TimeSource.system());
    }

    /** The same picture with a single keyframe at the start, like a source with a very long GOP. */
    static byte[] generateWithOneKeyframe(Path dir) throws IOException, InterruptedException {
        return encode(dir, "long-gop.ts");
    }

    private static byte[] encode(Path dir, String name, String... keyframeOptions)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine", "-t", "6",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "1000", "-sc_threshold", "0"));
        command.addAll(List.of(keyframeOptions));
        command.addAll(List.of("-c:a", "aac", "-f", "mpegts", out.toString()));
        ToolRun.succeed(command.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    /** Feeds {@code ts} to the segmenter in {@code chunk}-sized reads, then ends the run. */
    static void feed(TsSegmenter segmenter, byte[] ts, int chunk) {
        feed(segmenter, ts, chunk, () -> {});
    }

    /** Like {@link #feed(TsSegmenter, byte[], int)}, running {@code afterEachRead} after every read. */
    static void feed(TsSegmenter segmenter, byte[] ts, int chunk, Runnable afterEachRead) {
        for (int at = 0; at < ts.length; at += chunk) {
            segmenter.accept(ts, at, Math.min(chunk, ts.length - at));
            afterEachRead.run();
        }
        segmenter.finish();
        afterEachRead.run();
    }

    static byte[] bytes(Segment s) {
        return Arrays.copyOf(s.fill().data(), s.fill().size());
    }

    static int pid(byte[] ts, int packet) {
        return ((ts[packet * PACKET + 1] & 0x1f) << 8) | (ts[packet * PACKET + 2] & 0xff);
    }

    /** The table id of the PSI section starting in the given packet. */
    static int tableId(byte[] ts, int packet) {
        int o = packet * PACKET;
        assertThat(ts[o] & 0xff).isEqualTo(0x47);
        assertThat(ts[o + 1] & 0x40).as("payload unit start").isNotZero();
        int payload = (ts[o + 3] & 0x20) != 0 ? 5 + (ts[o + 4] & 0xff) : 4;
        return ts[o + payload + 1 + (ts[o + payload] & 0xff)] & 0xff;
    }

    /**
     * The key-frame flag of every video frame in {@code ts}, in order, as ffprobe decodes it
     * with {@code showall} (so frames before the first keyframe are reported, not skipped).
     */
    static List<Boolean> videoKeyFrames(Path dir, byte[] ts) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "segment", ".ts");
        Files.write(file, ts);
        String json = ToolRun.succeed("ffprobe", "-v", "quiet", "-flags2", "+showall", "-select_streams", "v",
                "-show_frames", "-show_entries", "frame=key_frame", "-of", "json", file.toString()).stdout();
        List<Boolean> keys = new ArrayList<>();
        for (JsonNode frame : new ObjectMapper().readTree(json).path("frames")) {
            keys.add(frame.path("key_frame").asInt() == 1);
        }
        return keys;
    }
}
