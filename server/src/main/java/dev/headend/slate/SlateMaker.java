package dev.headend.slate;

import dev.headend.channel.SlateLook;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.media.TsSegmenter;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.ToolRunner;
import dev.headend.time.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes a {@link SlateClip} with one FFmpeg run.
 *
 * <p>FFmpeg ({@link SlateCommand}) runs in a fresh directory under the given work directory,
 * holding only the text files it reads; the directory is removed afterwards, whatever the
 * outcome. Its MPEG-TS output is cut by the server's own {@link TsSegmenter}, so slate
 * segments start exactly like live ones (PAT, PMT, keyframe); the segmenter closes the last
 * segment at the end of its last frame, so the clip loops without a gap.
 */
public final class SlateMaker {
    private static final int MAX_SEGMENT_SECONDS = 60;

    private SlateMaker() {}

    /**
     * @param tools runs FFmpeg (the process pool)
     * @param workDir an existing directory; the run uses, then removes, a new directory in it
     * @param status the status line to draw (see {@link SlateStatus}), empty for none
     * @param segmentSeconds the stream's segment duration: each slate segment lasts this long
     * @throws IOException when FFmpeg fails (its first error line is in the message) or its
     *     output is not the expected segments
     */
    public static SlateClip make(ToolRunner tools, String ffmpeg, Path workDir, MediaFormat format, SlateLook look,
            String status,
            int segmentSeconds) throws IOException, InterruptedException {
        if (segmentSeconds < 1 || segmentSeconds > MAX_SEGMENT_SECONDS) {
            throw new IllegalArgumentException("segmentSeconds must be within [1, 60], got " + segmentSeconds);
        }
        List<Segment> closed = new ArrayList<>();
        SegmentStore store = new SegmentStore(segmentSeconds, 1, SegmentStore.Continuation.FIRST, TimeSource.system());
        TsSegmenter segmenter = store.newRun(segmentSeconds, closed::add).segmenter();
        Path dir = Files.createTempDirectory(workDir, "slate");
        try {
            SlateText.writeAll(dir, look, status);
            tools.run(new ProcessSpec("slate", SlateCommand.arguments(ffmpeg, format, look, status, segmentSeconds),
                    dir, Map.of()), stdout -> {
                byte[] buffer = new byte[64 * 1024];
                for (int n = stdout.read(buffer); n >= 0; n = stdout.read(buffer)) {
                    segmenter.accept(buffer, 0, n);
                }
                segmenter.finish();
            });
        } finally {
            removeAll(dir);
        }
        return clip(closed);
    }

    private static SlateClip clip(List<Segment> closed) throws IOException {
        if (closed.size() != SlateCommand.SEGMENTS) {
            throw new IOException("FFmpeg's slate was cut into " + closed.size() + " segments, expected "
                    + SlateCommand.SEGMENTS);
        }
        // A closed segment's bytes are exactly its own, and its start PTS is its first keyframe's
        // (the slate's video is the segmenter's reference stream).
        List<SlateClip.Part> parts = new ArrayList<>();
        for (Segment s : closed) {
            long duration = Math.round(s.duration() * 90_000);
            parts.add(new SlateClip.Part(s.fill().data(), s.startPts(), duration));
        }
        return new SlateClip(parts);
    }

    private static void removeAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
