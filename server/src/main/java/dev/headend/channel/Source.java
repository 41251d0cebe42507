package dev.headend.channel;

import java.net.URI;
import java.nio.file.Path;

/** Where a channel's media comes from. Parsed from the channel's {@code source} URL. */
public sealed interface Source {

    /** Text shown to operators; never contains credentials. */
    String display();

    /** Built-in test pattern: moving picture with the channel name and a clock, plus a tone. */
    record TestPattern() implements Source {
        @Override
        public String display() {
            return "test:";
        }
    }

    /** A local media file played at real-time speed in an endless loop. */
    record MediaFile(Path path) implements Source {
        @Override
        public String display() {
            return "file:" + path;
        }
    }

    /** An HTTP(S) HLS playlist or MPEG-TS stream, read with reconnects. */
    record Http(URI uri) implements Source {
        @Override
        public String display() {
            return Sources.redact(uri);
        }
    }

    /** An RTSP(S) camera, read over TCP. */
    record Rtsp(URI uri) implements Source {
        @Override
        public String display() {
            return Sources.redact(uri);
        }
    }

    /**
     * Frames published to the WebSocket relay as {@code /ws/publish/{streamId}}, fed to FFmpeg's
     * standard input as they arrive and encoded to H.264.
     */
    record Push(String streamId) implements Source {
        @Override
        public String display() {
            return "push:" + streamId;
        }
    }

    /** A UDP, SRT or RTMP stream, handed to FFmpeg with an input timeout. */
    record Network(URI uri) implements Source {
        @Override
        public String display() {
            return Sources.redact(uri);
        }
    }
}
