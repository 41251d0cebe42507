package dev.headend.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which encoder made a segment, told from the settings message x264 writes once, at the start
 * of every encode (in the first keyframe): channel pipelines encode at a constant bitrate
 * ({@code rc=cbr}), the slate clip at a constant quality ({@code rc=crf}). So the first segment
 * of every pipeline run reveals a pipeline, and every slate segment cut from the clip's start
 * reveals the slate; other segments carry no message.
 */
public enum SegmentOrigin {
    PIPELINE("rc=cbr"),
    SLATE("rc=crf");

    private static final int PACKET = 188;

    private final byte[] marker;

    SegmentOrigin(String marker) {
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
    }

    /** The encoder whose encode starts in this MPEG-TS segment, if one does. */
    public static Optional<SegmentOrigin> encodeStartIn(byte[] ts) {
        byte[] payload = payloads(ts);
        for (SegmentOrigin origin : values()) {
            if (indexOf(payload, origin.marker, 0) >= 0) {
                return Optional.of(origin);
            }
        }
        return Optional.empty();
    }

    /** Every encode that starts in this MPEG-TS capture, in the order they start. */
    public static List<SegmentOrigin> encodeStartsIn(byte[] ts) {
        byte[] payload = payloads(ts);
        TreeMap<Integer, SegmentOrigin> starts = new TreeMap<>();
        for (SegmentOrigin origin : values()) {
            for (int at = indexOf(payload, origin.marker, 0); at >= 0; at = indexOf(payload, origin.marker, at + 1)) {
                starts.put(at, origin);
            }
        }
        return List.copyOf(starts.values());
    }

    /** The TS packets' payloads, joined, so a message split across packets reads whole. */
    private static byte[] payloads(byte[] ts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length);
        for (int p = 0; p + PACKET <= ts.length; p += PACKET) {
            boolean hasPayload = (ts[p + 3] & 0x10) != 0;
            boolean hasAdaptation = (ts[p + 3] & 0x20) != 0;
            int start = p + 4 + (hasAdaptation ? 1 + (ts[p + 4] & 0xff) : 0);
            if (hasPayload && start < p + PACKET) {
                out.write(ts, start, p + PACKET - start);
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
