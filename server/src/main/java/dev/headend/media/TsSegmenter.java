package dev.headend.media;

import dev.headend.time.TimeSource;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Cuts one pipeline's continuous MPEG-TS output into keyframe-aligned segments.
 *
 * <p>The reference stream is the first video stream of the PMT (the first audio stream when
 * there is no video). A segment opens at a reference PES flagged random-access and closes
 * when the next one arrives after at least the minimum duration (shorter for the first
 * segment, so a cold stream answers quickly). Invariant: no segment is longer than the sink's
 * {@link SegmentSink#maxSeconds()}; when the next frame would take it past that without a
 * keyframe, it is cut short at that frame (a jump in the source's timestamps can still
 * overshoot: the duration is then reported as the longest allowed), and the next segment opens
 * there flagged as not starting with a keyframe; such a segment closes at the next keyframe
 * whatever its length, so the stream is independent again as soon as the source allows. Each
 * segment starts with copies of the latest PAT and PMT. Packets before the first keyframe are
 * dropped. Not thread-safe: one reader thread feeds it.
 */
public final class TsSegmenter {
    private final SegmentSink sink;
    private final TimeSource time;
    private final double firstMinSeconds;
    private final double minSeconds;

    private final byte[] partial = new byte[TsPackets.SIZE];
    private int partialLength;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(64 * 1024);

    private byte[] pat;
    private byte[] pmt;
    private int pmtPid = -1;
    private int referencePid = -1;
    private boolean referenceIsVideo;

    private boolean open;
    /** The open segment starts with a keyframe. */
    private boolean openAtKeyframe;
    private int segmentsClosed;
    private long segmentStartPts;
    private long lastReferencePts = -1;
    /** Duration of the latest reference frame, so a segment cut short at the end includes it. */
    private double lastFrameSeconds;

    TsSegmenter(SegmentSink sink, TimeSource time, double segmentSeconds) {
        this.sink = sink;
        this.time = time;
        this.firstMinSeconds = segmentSeconds * 0.4;
        this.minSeconds = segmentSeconds * 0.9;
    }

    /** Feeds bytes as read from the pipeline; packet boundaries need not align with reads. */
    public void accept(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (partialLength > 0) {
            int take = Math.min(TsPackets.SIZE - partialLength, length);
            System.arraycopy(data, i, partial, partialLength, take);
            partialLength += take;
            i += take;
            if (partialLength < TsPackets.SIZE) {
                return;
            }
            partialLength = 0;
            if (partial[0] == TsPackets.SYNC) {
                packet(partial, 0);
            }
        }
        while (i < end) {
            if (data[i] != TsPackets.SYNC) {
                i++;
                continue;
            }
            if (end - i < TsPackets.SIZE) {
                partialLength = end - i;
                System.arraycopy(data, i, partial, 0, partialLength);
                break;
            }
            packet(data, i);
            i += TsPackets.SIZE;
        }
        flushBatch();
    }

    /** The pipeline ended: the open segment closes with the duration seen so far (to the end of its last frame). */
    public void finish() {
        flushBatch();
        if (open) {
            double seconds = lastReferencePts < 0 ? 0
                    : TsPackets.secondsBetween(segmentStartPts, lastReferencePts) + lastFrameSeconds;
            sink.close(Math.min(Math.max(seconds, 0.001), sink.maxSeconds()), false);
            open = false;
        }
    }

    private void packet(byte[] p, int o) {
        int pid = TsPackets.pid(p, o);
        if (pid == 0) {
            readPat(p, o);
        } else if (pid == pmtPid) {
            readPmt(p, o);
        } else if (pid == referencePid && TsPackets.payloadUnitStart(p, o)) {
            referencePes(p, o);
        }
        if (open) {
            batch.write(p, o, TsPackets.SIZE);
        }
    }

    private void referencePes(byte[] p, int o) {
        long pts = TsPackets.pesPts(p, o);
        if (pts < 0) {
            return;
        }
        boolean key = !referenceIsVideo || TsPackets.randomAccess(p, o);
        if (!open) {
            if (key && pat != null && pmt != null) {
                start(pts, true);
            }
        } else {
            double elapsed = TsPackets.secondsBetween(segmentStartPts, pts);
            double min = segmentsClosed == 0 ? firstMinSeconds : minSeconds;
            boolean full = elapsed + lastFrameSeconds > sink.maxSeconds();
            if ((key && (elapsed >= min || !openAtKeyframe)) || full) {
                flushBatch();
                sink.close(Math.min(elapsed, sink.maxSeconds()), !key);
                segmentsClosed++;
                start(pts, key);
            }
        }
        if (lastReferencePts >= 0) {
            double delta = TsPackets.secondsBetween(lastReferencePts, pts);
            lastFrameSeconds = delta <= 1 ? delta : lastFrameSeconds;
        }
        lastReferencePts = pts;
    }

    private void start(long pts, boolean keyframe) {
        byte[] header = new byte[TsPackets.SIZE * 2];
        System.arraycopy(pat, 0, header, 0, TsPackets.SIZE);
        System.arraycopy(pmt, 0, header, TsPackets.SIZE, TsPackets.SIZE);
        sink.open(header, time.wallClock(), pts, keyframe);
        segmentStartPts = pts;
        open = true;
        openAtKeyframe = keyframe;
    }

    private void flushBatch() {
        if (batch.size() > 0) {
            sink.append(batch.toByteArray(), batch.size());
            batch.reset(); // the sink owns the exact-size copy; the 64 KB buffer is reused, not garbage
        }
    }

    private void readPat(byte[] p, int o) {
        int s = TsPackets.sectionStart(p, o);
        if (s < 0) {
            return;
        }
        int length = TsPackets.sectionLength(p, o, s);
        int programsEnd = Math.min(s + 3 + length - 4, TsPackets.SIZE);
        for (int at = s + 8; at + 4 <= programsEnd; at += 4) {
            int program = ((p[o + at] & 0xff) << 8) | (p[o + at + 1] & 0xff);
            if (program != 0) {
                pmtPid = ((p[o + at + 2] & 0x1f) << 8) | (p[o + at + 3] & 0xff);
                pat = Arrays.copyOfRange(p, o, o + TsPackets.SIZE);
                return;
            }
        }
    }

    private void readPmt(byte[] p, int o) {
        int s = TsPackets.sectionStart(p, o);
        if (s < 0 || s + 12 > TsPackets.SIZE) {
            return;
        }
        int length = TsPackets.sectionLength(p, o, s);
        int end = Math.min(s + 3 + length - 4, TsPackets.SIZE);
        int infoLength = ((p[o + s + 10] & 0x0f) << 8) | (p[o + s + 11] & 0xff);
        int video = -1;
        int audio = -1;
        for (int at = s + 12 + infoLength; at + 5 <= end; ) {
            int type = p[o + at] & 0xff;
            int pid = ((p[o + at + 1] & 0x1f) << 8) | (p[o + at + 2] & 0xff);
            int esInfo = ((p[o + at + 3] & 0x0f) << 8) | (p[o + at + 4] & 0xff);
            StreamKind kind = StreamKind.ofStreamType(type);
            if (kind == StreamKind.VIDEO && video < 0) {
                video = pid;
            } else if (kind == StreamKind.AUDIO && audio < 0) {
                audio = pid;
            }
            at += 5 + esInfo;
        }
        pmt = Arrays.copyOfRange(p, o, o + TsPackets.SIZE);
        int reference = video >= 0 ? video : audio;
        if (reference != referencePid) {
            referencePid = reference;
            referenceIsVideo = video >= 0;
        }
    }
}
