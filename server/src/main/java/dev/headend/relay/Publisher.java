package dev.headend.relay;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher of one stream: its connection calls {@link #binary}, {@link #text}, {@link
 * #oversize}, {@link #heard} and {@link #closed} one at a time, as messages arrive. Accepted
 * frames go to the relay's viewers; invalid ones are skipped, counted, logged with the stream
 * id and told to the publisher, and the tenth in a row ends the stream.
 *
 * <p>Invariant: the fields read by the relay's tick and by new viewers ({@code latest}, the
 * last frame time, the frame-rate window) are guarded by this object's lock, which is never held
 * while a link is called.
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    /** The window the frame rate is measured over. */
    private static final Duration FPS_WINDOW = Duration.ofSeconds(2);

    private final Relay relay;
    private final String streamId;
    private final RelayLink link;
    private final TimeSource time;
    private final int maxFrameBytes;
    private final Instant startedAt;
    private final StreamTally tally;
    private final ArrayDeque<Moment> arrivals = new ArrayDeque<>();
    private long sequence;
    private int invalidInARow;
    private Frame latest;
    private Moment lastFrame;
    private boolean stallTold;
    private volatile Moment lastHeard;
    private volatile Moment lastPing;
    private Moment lastProgress;
    private long progressIn;
    private long progressOut;
    private long progressDropped;

    Publisher(Relay relay, String streamId, RelayLink link, TimeSource time, int maxFrameBytes) {
        this.relay = relay;
        this.streamId = streamId;
        this.link = link;
        this.time = time;
        this.maxFrameBytes = maxFrameBytes;
        this.tally = new StreamTally(relay.counters().frames);
        this.startedAt = time.wallClock();
        Moment now = time.now();
        this.lastFrame = now;
        this.lastHeard = now;
        this.lastPing = now;
        this.lastProgress = now;
    }

    public String streamId() {
        return streamId;
    }

    /** A binary message, whole. */
    public void binary(byte[] bytes) {
        heard();
        accept(FrameCheck.binary(bytes, maxFrameBytes));
    }

    /** A text message: a JSON control message, or a frame as a data URL. */
    public void text(String text) {
        heard();
        if (text.startsWith("{")) {
            String type = Messages.type(text).orElse("");
            if (type.equals("ping")) {
                link.sendText(Messages.pong(), ok -> { });
                return;
            }
            accept(new FrameCheck.Result.Invalid("unknown control message (only {\"type\": \"ping\"} is known)"));
            return;
        }
        accept(FrameCheck.dataUrl(text, maxFrameBytes));
    }

    /** A message of {@code size} bytes (or characters) that was not kept, being over the limit. */
    public void oversize(long size) {
        heard();
        accept(FrameCheck.tooLarge(size, maxFrameBytes));
    }

    /** Anything (a pong, a message) came from the publisher. */
    public void heard() {
        lastHeard = time.now();
    }

    /** The connection closed or broke: the stream ends with reason {@code closed}. */
    public void closed() {
        relay.end(this, EndReason.CLOSED);
    }

    private void accept(FrameCheck.Result result) {
        switch (result) {
            case FrameCheck.Result.Invalid invalid -> {
                int inARow;
                synchronized (this) {
                    inARow = ++invalidInARow;
                }
                tally.invalidFrame();
                log.warn("relay stream {}: invalid frame skipped ({}); {} in a row", streamId, invalid.reason(),
                        inARow);
                link.sendText(Messages.invalidFrame(invalid.reason(), inARow), ok -> { });
                if (inARow >= RelaySettings.INVALID_IN_A_ROW_LIMIT) {
                    relay.end(this, EndReason.TOO_MANY_INVALID_FRAMES);
                }
            }
            case FrameCheck.Result.Image image -> {
                Moment now = time.now();
                Frame frame;
                synchronized (this) {
                    invalidInARow = 0;
                    frame = Frame.of(streamId, ++sequence, image, now, time.wallClock().toEpochMilli(), tally);
                    latest = frame;
                    lastFrame = now;
                    stallTold = false;
                    arrivals.addLast(now);
                    while (arrivals.getFirst().until(now).compareTo(FPS_WINDOW) > 0) {
                        arrivals.removeFirst();
                    }
                }
                tally.frameIn();
                relay.broadcast(frame);
            }
        }
    }

    /** What the relay's tick does about this publisher. */
    enum Due {
        NOTHING, STALLED, ENDED
    }

    /** Checks the frame deadlines at {@code now}; {@link Due#STALLED} is given once per silence. */
    synchronized Due deadlines(Moment now, RelaySettings settings) {
        Duration silence = lastFrame.until(now);
        if (silence.compareTo(settings.endAfter()) >= 0 || lastHeard.until(now).compareTo(settings.pongTimeout()) > 0) {
            return Due.ENDED;
        }
        if (silence.compareTo(settings.stallAfter()) >= 0 && !stallTold) {
            stallTold = true;
            return Due.STALLED;
        }
        return Due.NOTHING;
    }

    /** The progress line's figures since the last one, when one is due at {@code now}; null otherwise. */
    synchronized long[] progressDue(Moment now) {
        if (lastProgress.until(now).compareTo(RelaySettings.PROGRESS_INTERVAL) < 0) {
            return null;
        }
        lastProgress = now;
        long in = tally.framesIn(), out = tally.framesOut(), dropped = tally.framesDropped();
        long[] delta = {in - progressIn, out - progressOut, dropped - progressDropped};
        progressIn = in;
        progressOut = out;
        progressDropped = dropped;
        return delta;
    }

    /** True (and the ping recorded as sent) when a ping is due at {@code now}. */
    boolean pingDue(Moment now, Duration interval) {
        if (lastPing.until(now).compareTo(interval) < 0) {
            return false;
        }
        lastPing = now;
        return true;
    }

    synchronized Frame latest() {
        return latest;
    }

    /** Frames per second over the last two seconds. */
    synchronized double fps() {
        Moment now = time.now();
        while (!arrivals.isEmpty() && arrivals.getFirst().until(now).compareTo(FPS_WINDOW) > 0) {
            arrivals.removeFirst();
        }
        return Math.round(arrivals.size() * 10.0 / (FPS_WINDOW.toMillis() / 1000.0)) / 10.0;
    }

    synchronized Duration silence(Moment now) {
        return lastFrame.until(now);
    }

    Instant startedAt() {
        return startedAt;
    }

    RelayLink link() {
        return link;
    }

    public StreamTally tally() {
        return tally;
    }
}
