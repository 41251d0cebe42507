package dev.headend.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated continuous-TS viewer: connects at a given time, reads the stream as fast as it
 * comes, checks its continuity, and counts the bytes and the time between reads that fall inside
 * a measurement window.
 */
final class TsReader extends Load.Connected {
    /** What a reader does when the window is over or the server ends the stream. */
    enum Until {
        /** Leave at the end of the window; the server ending the stream first is an error. */
        WINDOW_END,
        /** Keep reading after the window until the server closes the connection (a kick). */
        SERVER_CLOSES
    }

    private final String channel;
    private final long connectAt;
    private final long windowStart;
    private final long windowEnd;
    private final Until until;
    private final TsContinuity continuity = new TsContinuity();
    private final List<Double> gapMs = new ArrayList<>();
    private long bytes;
    private volatile boolean ended;

    /** Times are {@link System#nanoTime()} values. */
    TsReader(int port, String channel, long connectAt, long windowStart, long windowEnd, Until until) {
        super(port);
        this.channel = channel;
        this.connectAt = connectAt;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.until = until;
    }

    @Override
    void session() throws IOException, InterruptedException {
        Load.sleepUntil(connectAt);
        InputStream in = conn.stream("/live/" + channel + ".ts");
        byte[] buffer = new byte[16 * 1024];
        long last = 0;
        while (true) {
            int n = in.read(buffer);
            long now = System.nanoTime();
            if (n < 0) {
                ended = true;
                if (until == Until.WINDOW_END) {
                    throw new IOException("the stream ended");
                }
                return;
            }
            continuity.accept(buffer, 0, n);
            if (now >= windowEnd && until == Until.WINDOW_END) {
                return;
            }
            if (now >= windowStart && now < windowEnd) {
                bytes += n;
                if (last >= windowStart) {
                    gapMs.add((now - last) / 1e6);
                }
            }
            last = now;
        }
    }

    /** Bytes read inside the window, in kbit/s over {@code seconds}. */
    double kbps(int seconds) {
        return bytes * 8 / 1000.0 / seconds;
    }

    /** Times between two reads inside the window, in milliseconds. */
    List<Double> gapMs() {
        return gapMs;
    }

    /** Times the continuity counters jumped: data the reader never got. */
    long jumps() {
        return continuity.jumps();
    }

    /** The server closed the connection. */
    boolean ended() {
        return ended;
    }
}
