package dev.headend.relay;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One viewer connection and its delivery: control messages in order, and per watched stream a
 * latest-frame-wins slot.
 *
 * <p>Invariants: at most one send is in flight; {@code lock} guards the queue, the slots and the
 * in-flight mark and is never held while calling the link, so a viewer whose socket is full
 * blocks nobody (its frames just replace each other in its slot, each replaced one counted as
 * dropped). Memory per viewer is bounded by one pending frame per watched stream, and frames are
 * shared with every other viewer. Control messages are few (one per stream start or end) and
 * bounded by {@link #MAX_CONTROL}; a viewer that lets more pile up is removed as stuck.
 */
public final class Viewer {
    /** Control messages a viewer may have waiting before it is taken for stuck. */
    static final int MAX_CONTROL = 256;

    private final long id;
    private final Optional<String> streamId;
    private final RelayLink link;
    private final ViewerDelivery delivery;
    private final TimeSource time;
    /** Told when a send fails or the control queue overflows: the relay removes the viewer. */
    private final BiConsumer<Viewer, String> onBroken;
    private final Object lock = new Object();
    private final ArrayDeque<String> control = new ArrayDeque<>();
    private final LinkedHashMap<String, Frame> slots = new LinkedHashMap<>();
    private Moment sendingSince;
    private boolean closed;
    /** True until the greeting is queued: nothing is sent before {@code viewer_connected}. */
    private boolean held = true;
    private long framesSent;
    private long framesDropped;
    private volatile Moment lastHeard;
    private volatile Moment lastPing;

    Viewer(long id, Optional<String> streamId, RelayLink link, ViewerDelivery delivery, TimeSource time,
            BiConsumer<Viewer, String> onBroken) {
        this.id = id;
        this.streamId = streamId;
        this.link = link;
        this.delivery = delivery;
        this.time = time;
        this.onBroken = onBroken;
        this.lastHeard = time.now();
        this.lastPing = lastHeard;
    }

    public long id() {
        return id;
    }

    /** The stream watched, empty for every stream. */
    public Optional<String> streamId() {
        return streamId;
    }

    boolean watches(String stream) {
        return streamId.isEmpty() || streamId.get().equals(stream);
    }

    RelayLink link() {
        return link;
    }

    /**
     * Puts {@code frame} in its stream's slot, replacing (and counting as dropped) an older frame
     * not yet sent; a frame older than the one waiting is ignored (the latest frame given at
     * connect can race with the next one).
     */
    void offer(Frame frame) {
        Frame old;
        synchronized (lock) {
            if (closed) {
                return;
            }
            old = slots.get(frame.streamId());
            if (old != null && old.receivedAt().isAfter(frame.receivedAt())) {
                return;
            }
            slots.put(frame.streamId(), frame);
            if (old != null) {
                framesDropped++;
            }
        }
        if (old != null) {
            old.tally().frameDropped();
        }
        pump();
    }

    /** Queues {@code viewer_connected} before anything else and starts delivery. */
    void greet(String json) {
        synchronized (lock) {
            control.addFirst(json);
            held = false;
        }
        pump();
    }

    /** Queues a control message; {@code forgetStream} also empties that stream's slot (it ended). */
    void tell(String json, Optional<String> forgetStream) {
        boolean overflow;
        synchronized (lock) {
            if (closed) {
                return;
            }
            forgetStream.ifPresent(slots::remove);
            overflow = control.size() >= MAX_CONTROL;
            if (!overflow) {
                control.add(json);
            }
        }
        if (overflow) {
            onBroken.accept(this, "more than " + MAX_CONTROL + " messages waiting");
            return;
        }
        pump();
    }

    /** Starts the next send unless one is in flight; the link is called outside the lock. */
    private void pump() {
        String text;
        Frame frame = null;
        synchronized (lock) {
            if (closed || held || sendingSince != null) {
                return;
            }
            text = control.poll();
            if (text == null) {
                Iterator<Map.Entry<String, Frame>> it = slots.entrySet().iterator();
                if (!it.hasNext()) {
                    return;
                }
                frame = it.next().getValue();
                it.remove();
            }
            sendingSince = time.now();
        }
        if (text != null) {
            link.sendText(text, ok -> sent(ok, null));
        } else {
            Frame sending = frame;
            ByteBuffer message = frame.message().duplicate();
            link.sendBinary(message, ok -> sent(ok, sending));
        }
    }

    private void sent(boolean ok, Frame frame) {
        synchronized (lock) {
            sendingSince = null;
            if (ok && frame != null) {
                framesSent++;
            }
        }
        if (ok && frame != null) {
            frame.tally().frameOut();
            delivery.frameSent(frame.message().remaining());
        }
        if (ok) {
            pump();
        } else {
            delivery.sendFailed();
            onBroken.accept(this, "send failed");
        }
    }

    /** True when a send has been in flight for longer than {@code timeout} at {@code now}. */
    boolean stuck(Moment now, Duration timeout) {
        synchronized (lock) {
            return sendingSince != null && sendingSince.until(now).compareTo(timeout) > 0;
        }
    }

    /** Marks the viewer closed: nothing more is queued or sent. */
    void close() {
        synchronized (lock) {
            closed = true;
            control.clear();
            slots.clear();
        }
    }

    /** A text message from the viewer: it proves it alive, and {@code {"type": "ping"}} is answered. */
    public void text(String message) {
        heard();
        if (Messages.type(message).filter("ping"::equals).isPresent()) {
            tell(Messages.pong(), Optional.empty());
        }
    }

    /** A pong or any message came from the viewer. */
    public void heard() {
        lastHeard = time.now();
    }

    Moment lastHeard() {
        return lastHeard;
    }

    Moment lastPing() {
        return lastPing;
    }

    void pinged(Moment at) {
        lastPing = at;
    }

    public long framesSent() {
        synchronized (lock) {
            return framesSent;
        }
    }

    public long framesDropped() {
        synchronized (lock) {
            return framesDropped;
        }
    }
}
