package dev.headend.relay;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: one publisher per stream id, any number of viewers of one stream or of all, and
 * the periodic {@link #tick} that ends silent publishers, removes stuck or silent viewers, pings
 * and logs progress.
 *
 * <p>Invariants: {@code lock} guards the publisher registry only and is never held while a link
 * or the listener is called; a frame is fanned out by offering it to each viewer's slot (a
 * non-blocking step), so the publisher's thread never waits for any viewer. A viewer that
 * connects while a publisher starts may be told {@code stream_started} for a stream already in
 * its {@code viewer_connected} list; it is never told nothing.
 */
public final class Relay {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** Stream ids are channel ids, so a relayed stream can become a {@code push:} channel of the same name. */
    public static final Pattern STREAM_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** The answer to a publisher's connection. */
    public sealed interface Admission {
        record Accepted(Publisher publisher) implements Admission {}

        record Refused(String reason) implements Admission {}
    }

    /** A published stream as the API shows it. */
    public record StreamView(String id, Instant startedAt, double fps, int width, int height, int viewers,
            long framesIn, long framesOut, long framesDropped, long invalidFrames, String publisher) {}

    /** A viewer as the API shows it; {@code streamId} is null for a viewer of every stream. */
    public record ViewerView(long viewerId, String streamId, long framesSent, long framesDropped) {}

    private final RelaySettings settings;
    private final TimeSource time;
    private final RelayListener listener;
    private final RelayCounters counters = new RelayCounters();
    private final Object lock = new Object();
    private final Map<String, Publisher> publishers = new LinkedHashMap<>();
    private final CopyOnWriteArrayList<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final AtomicLong viewerIds = new AtomicLong();
    /** In-process consumers of a stream's frames ({@code push:} pipelines); each must return at once. */
    private final Map<String, CopyOnWriteArrayList<Consumer<Frame>>> subscribers = new ConcurrentHashMap<>();

    public Relay(RelaySettings settings, TimeSource time, RelayListener listener) {
        this.settings = settings;
        this.time = time;
        this.listener = listener;
    }

    public RelaySettings settings() {
        return settings;
    }

    public RelayCounters counters() {
        return counters;
    }

    /** Admits {@code link} as the publisher of {@code streamId} unless the stream has one. */
    public Admission publish(String streamId, RelayLink link) {
        Publisher publisher;
        synchronized (lock) {
            Publisher existing = publishers.get(streamId);
            if (existing != null) {
                counters.publishersRefused.increment();
                log.warn("relay stream {}: second publisher from {} refused (publishing from {})", streamId,
                        link.remote(), existing.link().remote());
                return new Admission.Refused("stream " + streamId + " already has a publisher");
            }
            publisher = new Publisher(this, streamId, link, time, settings.maxFrameBytes());
            publishers.put(streamId, publisher);
        }
        log.info("relay stream {} started by {}", streamId, link.remote());
        link.sendText(Messages.publishing(streamId, settings.maxFrameBytes()), ok -> { });
        String started = Messages.streamStarted(streamId, publisher.startedAt());
        for (Viewer v : viewers) {
            if (v.watches(streamId)) {
                v.tell(started, Optional.empty());
            }
        }
        return new Admission.Accepted(publisher);
    }

    /**
     * Adds a viewer of {@code streamId} (empty: of every stream). It is sent {@code
     * viewer_connected} first, then the latest frame of each active stream it watches, then
     * frames and notices as they come; {@code delivery} is told of each frame sent and each
     * failed send.
     */
    public Viewer watch(Optional<String> streamId, RelayLink link, ViewerDelivery delivery) {
        Viewer viewer = new Viewer(viewerIds.incrementAndGet(), streamId, link, delivery, time, this::remove);
        List<Publisher> active;
        synchronized (lock) {
            viewers.add(viewer);
            active = publishers.values().stream().filter(p -> viewer.watches(p.streamId())).toList();
        }
        List<Messages.ActiveStream> listed = new ArrayList<>();
        for (Publisher p : active) {
            Frame latest = p.latest();
            listed.add(new Messages.ActiveStream(p.streamId(), p.startedAt().toString(), p.fps(),
                    latest == null ? 0 : latest.width(), latest == null ? 0 : latest.height(),
                    viewersOf(p.streamId())));
            if (latest != null) {
                viewer.offer(latest);
            }
        }
        viewer.greet(Messages.viewerConnected(viewer.id(), listed));
        log.info("relay viewer {} of {} connected from {}", viewer.id(), streamId.orElse("every stream"),
                link.remote());
        return viewer;
    }

    /** The viewer's connection closed: it is forgotten. */
    public void left(Viewer viewer) {
        if (viewers.remove(viewer)) {
            viewer.close();
            log.info("relay viewer {} left", viewer.id());
        }
    }

    /** Ends the stream of {@code streamId} as an operator asked; false when it has no publisher. */
    public boolean kick(String streamId) {
        Publisher p;
        synchronized (lock) {
            p = publishers.get(streamId);
        }
        return p != null && end(p, EndReason.KICKED);
    }

    /**
     * Gives {@code consumer} every frame of {@code streamId} from now on, starting with the latest
     * one when the stream is active; it is called on the publisher's thread and must not block.
     *
     * @return ends the subscription
     */
    public Runnable subscribe(String streamId, Consumer<Frame> consumer) {
        subscribers.computeIfAbsent(streamId, id -> new CopyOnWriteArrayList<>()).add(consumer);
        Publisher p;
        synchronized (lock) {
            p = publishers.get(streamId);
        }
        Frame latest = p == null ? null : p.latest();
        if (latest != null) {
            consumer.accept(latest);
        }
        return () -> subscribers.computeIfPresent(streamId, (id, list) -> {
            list.remove(consumer);
            return list.isEmpty() ? null : list;
        });
    }

    void broadcast(Frame frame) {
        List<Consumer<Frame>> consumers = subscribers.get(frame.streamId());
        if (consumers != null) {
            consumers.forEach(c -> c.accept(frame));
        }
        for (Viewer v : viewers) {
            if (v.watches(frame.streamId())) {
                v.offer(frame);
            }
        }
    }

    /** Ends the publisher's stream once; false when it had already ended. */
    boolean end(Publisher publisher, EndReason reason) {
        synchronized (lock) {
            if (publishers.get(publisher.streamId()) != publisher) {
                return false;
            }
            publishers.remove(publisher.streamId());
        }
        String id = publisher.streamId();
        switch (reason) {
            case CLOSED -> { }
            case TIMED_OUT -> publisher.link().close(1008, "no frame or no answer within "
                    + settings.endAfter().toSeconds() + " s");
            case TOO_MANY_INVALID_FRAMES -> publisher.link().close(1003, RelaySettings.INVALID_IN_A_ROW_LIMIT
                    + " invalid frames in a row");
            case KICKED -> publisher.link().close(1008, "stream ended by an operator");
        }
        log.info("relay stream {} ended ({}): {} frames in, {} out, {} dropped, {} invalid", id, reason.wire(),
                publisher.tally().framesIn(), publisher.tally().framesOut(), publisher.tally().framesDropped(),
                publisher.tally().invalidFrames());
        String ended = Messages.streamEnded(id, reason);
        for (Viewer v : viewers) {
            if (v.watches(id)) {
                v.tell(ended, Optional.of(id));
            }
        }
        return true;
    }

    /** Removes a viewer the relay gave up on, dropping its connection. */
    private void remove(Viewer viewer, String why) {
        if (viewers.remove(viewer)) {
            viewer.close();
            counters.viewersRemoved.increment();
            log.info("relay viewer {} removed: {}", viewer.id(), why);
            viewer.link().abort();
        }
    }

    /** The periodic checks: frame and keepalive deadlines, stuck sends, pings, progress lines. */
    public void tick() {
        Moment now = time.now();
        List<Publisher> active;
        synchronized (lock) {
            active = List.copyOf(publishers.values());
        }
        for (Publisher p : active) {
            switch (p.deadlines(now, settings)) {
                case ENDED -> end(p, EndReason.TIMED_OUT);
                case STALLED -> {
                    counters.stalls.increment();
                    log.warn("publisher_stalled: relay stream {} sent no frame for {} s", p.streamId(),
                            p.silence(now).toSeconds());
                    listener.publisherStalled(p.streamId(), settings.stallAfter());
                }
                case NOTHING -> { }
            }
            if (p.pingDue(now, settings.pingInterval())) {
                p.link().ping();
            }
            long[] progress = p.progressDue(now);
            if (progress != null) {
                log.info("relay stream {}: {} frames in, {} out, {} dropped, {} viewer(s) in the last {} s",
                        p.streamId(), progress[0], progress[1], progress[2], viewersOf(p.streamId()),
                        RelaySettings.PROGRESS_INTERVAL.toSeconds());
            }
        }
        for (Viewer v : viewers) {
            if (v.stuck(now, settings.sendTimeout())) {
                remove(v, "a send took longer than " + settings.sendTimeout().toMillis() + " ms");
            } else if (v.lastHeard().until(now).compareTo(settings.pongTimeout()) > 0) {
                remove(v, "no answer to pings for " + settings.pongTimeout().toSeconds() + " s");
            } else if (v.lastPing().until(now).compareTo(settings.pingInterval()) >= 0) {
                v.pinged(now);
                v.link().ping();
            }
        }
    }

    private int viewersOf(String streamId) {
        return (int) viewers.stream().filter(v -> v.watches(streamId)).count();
    }

    /** The active streams, in the order they started. */
    public List<StreamView> streams() {
        List<Publisher> active;
        synchronized (lock) {
            active = List.copyOf(publishers.values());
        }
        return active.stream().map(p -> {
            Frame latest = p.latest();
            StreamTally t = p.tally();
            return new StreamView(p.streamId(), p.startedAt(), p.fps(), latest == null ? 0 : latest.width(),
                    latest == null ? 0 : latest.height(), viewersOf(p.streamId()), t.framesIn(), t.framesOut(),
                    t.framesDropped(), t.invalidFrames(), p.link().remote());
        }).toList();
    }

    public List<ViewerView> viewers() {
        return viewers.stream().map(v -> new ViewerView(v.id(), v.streamId().orElse(null), v.framesSent(),
                v.framesDropped())).toList();
    }

    /** The number of viewers connected. */
    public int viewerCount() {
        return viewers.size();
    }

    public int streamCount() {
        synchronized (lock) {
            return publishers.size();
        }
    }
}
