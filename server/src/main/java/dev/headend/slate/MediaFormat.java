package dev.headend.slate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.ToolRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The output format a slate must match: picture size, frame rate and, when the stream has
 * audio, its sample rate and channel count.
 *
 * <p>Invariants: width and height are positive and even (H.264 4:2:0); fps is within
 * [1, 240]; audio, when present, has a positive sample rate and 1 to 8 channels (AAC).
 */
public record MediaFormat(int width, int height, double fps, Optional<Audio> audio) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The audio half of a format. */
    public record Audio(int sampleRate, int channels) {
        public Audio {
            if (sampleRate <= 0 || channels < 1 || channels > 8) {
                throw new IllegalArgumentException("unsupported audio: " + sampleRate + " Hz, " + channels + " channels");
            }
        }
    }

    public MediaFormat {
        Objects.requireNonNull(audio, "audio");
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be positive and even, got " + width + "x" + height);
        }
        if (!(fps >= 1 && fps <= 240)) {
            throw new IllegalArgumentException("fps must be within [1, 240], got " + fps);
        }
    }

    /**
     * The format of an MPEG-TS segment, read by ffprobe from a copy of the segment's bytes in
     * {@code workDir}: the first video stream's size and average frame rate and the first audio
     * stream's sample rate and channel count.
     *
     * @throws IOException when ffprobe fails or the segment has no usable video stream
     */
    public static MediaFormat probe(ToolRunner tools, String ffprobe, Path workDir, byte[] tsSegment)
            throws IOException, InterruptedException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Path segment = Files.createTempFile(workDir, "probe", ".ts");
        try {
            Files.write(segment, tsSegment);
            tools.run(new ProcessSpec("probe", List.of(ffprobe, "-v", "error", "-show_streams", "-of", "json",
                    "-i", "file:" + segment.toAbsolutePath()), workDir, Map.of()), stdout -> stdout.transferTo(json));
        } finally {
            Files.deleteIfExists(segment);
        }
        JsonNode streams = JSON.readTree(json.toByteArray()).path("streams");
        JsonNode video = first(streams, "video").orElseThrow(() -> new IOException("the segment has no video stream"));
        try {
            return new MediaFormat(video.path("width").asInt(), video.path("height").asInt(),
                    rate(video.path("avg_frame_rate").asText()),
                    first(streams, "audio").map(a -> new Audio(a.path("sample_rate").asInt(), a.path("channels").asInt())));
        } catch (IllegalArgumentException e) {
            throw new IOException("the segment's format is unusable for a slate: " + e.getMessage(), e);
        }
    }

    private static Optional<JsonNode> first(JsonNode streams, String type) {
        for (JsonNode s : streams) {
            if (type.equals(s.path("codec_type").asText())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** An ffprobe rational such as {@code 30000/1001}; NaN when it is not one (then rejected). */
    private static double rate(String rational) {
        String[] parts = rational.split("/");
        if (parts.length != 2) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
