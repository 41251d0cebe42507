package dev.headend.pipeline;

/** One block of FFmpeg {@code -progress} output. */
public record ProgressStats(
        long frames, double fps, double speed, double bitrateKbps, long droppedFrames, long duplicatedFrames) {
    public static final ProgressStats NONE = new ProgressStats(0, 0, 0, 0, 0, 0);
}
