package dev.headend.channel;

import java.util.Optional;

/** How a pipeline turns its source into the stream's MPEG-TS. */
public sealed interface OutputProfile {

    AudioMode audio();

    /** Video remuxed as it is: cheap, but segments can only be cut at the source's keyframes. */
    record Copy(AudioMode audio) implements OutputProfile {}

    /**
     * Video transcoded to H.264 with keyframes forced on segment boundaries. Width, height and
     * frame rate are optional: absent means "as the source".
     */
    record H264(
            Optional<Integer> width,
            Optional<Integer> height,
            Optional<Integer> fps,
            int bitrateKbps,
            String preset,
            AudioMode audio)
            implements OutputProfile {
        /** A test pattern's picture size and frame rate where its profile leaves them unset. */
        public static final int TEST_PATTERN_WIDTH = 1280;
        public static final int TEST_PATTERN_HEIGHT = 720;
        public static final int TEST_PATTERN_FPS = 25;
    }
}
