package dev.headend.media;

/**
 * How a stream's {@code EXT-X-TARGETDURATION} is chosen. Either way it is decided before the
 * first segment is listed and never changes afterwards (RFC 8216 4.3.3.1).
 */
public sealed interface TargetDuration {
    /**
     * Decided up front: the pipeline places the keyframes (transcoded video).
     *
     * @param seconds at least 1
     */
    record Fixed(int seconds) implements TargetDuration {
        public Fixed {
            if (seconds < 1) {
                throw new IllegalArgumentException("target duration must be at least 1 s, got " + seconds);
            }
        }

        @Override
        public String toString() {
            return seconds + " s";
        }
    }

    /**
     * Decided by the source (copied video, cut only at the source's keyframes): the first segment
     * runs from one keyframe to the next, and the target becomes the whole seconds that hold it,
     * at least {@code minSeconds} and at most {@code maxSeconds}. A source with no keyframe within
     * {@code maxSeconds} is refused.
     */
    record FitKeyframes(int minSeconds, int maxSeconds) implements TargetDuration {
        public FitKeyframes {
            if (minSeconds < 1 || maxSeconds < minSeconds) {
                throw new IllegalArgumentException("need 1 <= min <= max, got " + minSeconds + " and " + maxSeconds);
            }
        }

        @Override
        public String toString() {
            return minSeconds + " to " + maxSeconds + " s, fitted to the source's keyframes";
        }
    }

    /** The target duration in force until the first segment decides it. */
    default int initialSeconds() {
        return switch (this) {
            case Fixed f -> f.seconds();
            case FitKeyframes k -> k.minSeconds();
        };
    }
}
