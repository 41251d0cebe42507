package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.channel.ChannelTemplate;
import dev.headend.channel.InvalidChannelException;
import dev.headend.channel.OutputProfile;
import dev.headend.media.SegmentStore;
import dev.headend.media.TargetDuration;
import dev.headend.resilience.CircuitState;
import dev.headend.time.Durations;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the running streams: at most one per channel, whatever the number of concurrent start
 * calls (creation goes through {@link ConcurrentHashMap#computeIfAbsent}, and only the caller
 * that created the stream launches its pipeline). A stream leaves the map when it becomes
 * terminal; its channel's sequence numbers carry over to the next stream of that channel (in a
 * cluster, across nodes: {@link PlaylistContinuity}, asked as the stream is created). The
 * channel catalog can be replaced while streams run ({@link #reconfigure}); a stream always ends
 * up with its channel's current definition.
 */
public final class StreamManager {
    /** The most channel ids a reconfiguration's log line names per kind of change. */
    private static final int LOGGED_IDS = 20;

    private static final Logger log = LoggerFactory.getLogger(StreamManager.class);
    /** Copy-remuxed segments can only be cut at the source's keyframes: allow longer ones. */
    static final int COPY_MIN_TARGET_SECONDS = 4;
    /**
     * The longest target duration a copy channel gets to fit its source's keyframe interval;
     * beyond it the channel fails, naming profile h264.
     */
    static final int COPY_MAX_TARGET_SECONDS = 10;
    /** How long an always-on channel that failed waits before it is started again. */
    static final Duration ALWAYS_ON_RETRY = Duration.ofSeconds(10);

    private volatile ChannelCatalog configured;
    private volatile List<ChannelTemplate> templates;
    /** Guards {@link #ephemeral} and {@link #channels}; never held while calling into a stream. */
    private final Object catalogLock = new Object();
    private final Map<String, Channel> ephemeral = new LinkedHashMap<>();
    /** The configured channels followed by the ephemeral ones. */
    private volatile ChannelCatalog channels;
    /** Replaced whole when the settings change; a stream keeps the context it started with. */
    private volatile StreamContext context;
    private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final Map<String, SegmentStore.Continuation> continuations = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Ownership ownership;
    private final PlaylistContinuity continuity;
    private volatile boolean shuttingDown;

    /**
     * The last failure of a channel whose stream is gone.
     *
     * @param at when it failed, for the always-on retry
     */
    public record Failure(String reason, Moment at) {}

    /** Why a channel's stream stops when the channel leaves the catalog. */
    public enum Removal {
        /** A configuration reload no longer has it. */
        FROM_CONFIGURATION("channel removed from the configuration"),
        /** An operator deleted it (stream_ended reason {@code deleted}). */
        DELETED(StreamChanges.DELETED);

        private final String reason;

        Removal(String reason) {
            this.reason = reason;
        }
    }

    public StreamManager(ChannelCatalog channels, StreamContext context) {
        this(channels, List.of(), context);
    }

    /** @param templates made into ephemeral channels on demand, first match wins */
    public StreamManager(ChannelCatalog channels, List<ChannelTemplate> templates, StreamContext context) {
        this(channels, templates, context, Ownership.SINGLE_NODE);
    }

    /** @param ownership asked before a stream of a channel is created (never while one runs) */
    public StreamManager(ChannelCatalog channels, List<ChannelTemplate> templates, StreamContext context,
            Ownership ownership) {
        this(channels, templates, context, ownership, PlaylistContinuity.SINGLE_NODE);
    }

    /**
     * @param ownership asked before a stream of a channel is created (never while one runs)
     * @param continuity asked, as a stream is created, where its numbering continues
     */
    public StreamManager(ChannelCatalog channels, List<ChannelTemplate> templates, StreamContext context,
            Ownership ownership, PlaylistContinuity continuity) {
        this.ownership = ownership;
        this.continuity = continuity;
        this.configured = channels;
        this.channels = channels;
        this.templates = List.copyOf(templates);
        this.context = context;
    }

    public StreamSettings settings() {
        return context.settings();
    }

    /**
     * Streams started from now on use {@code next}; running ones keep theirs, except the start
     * timeout, which the periodic checks and waiting requests read from here.
     */
    public void settings(StreamSettings next) {
        context = context.withSettings(next);
    }

    /**
     * Starts the channel's stream, or returns the running one. An id no channel has but a
     * template accepts makes the template's ephemeral channel.
     *
     * @throws UnknownChannelException when no channel has this id and no template accepts it
     * @throws CircuitOpenException when the channel is not running and its breaker is open
     * @throws ShuttingDownException when the server is shutting down
     * @throws NotOwnerException when the channel is not running here and this server may not run it
     *     (another cluster node owns it, or the cluster cannot grant ownership now)
     */
    public StartResult start(String channelId)
            throws UnknownChannelException, CircuitOpenException, ShuttingDownException, NotOwnerException {
        Channel channel = lookup(channelId).orElseThrow(() -> new UnknownChannelException(channelId));
        if (shuttingDown) {
            throw new ShuttingDownException();
        }
        while (true) {
            LiveStream running = streams.get(channelId);
            if (running == null || running.terminal()) {
                Optional<Moment> blocked = context.policy().blockedUntil(channelId);
                if (blocked.isPresent()) {
                    Duration left = context.time().now().until(blocked.get());
                    throw new CircuitOpenException(channelId, context.time().wallTime(blocked.get()), left);
                }
                Ownership.Claim claim = ownership.claim(channelId);
                if (!(claim instanceof Ownership.Claim.Granted)) {
                    throw new NotOwnerException(channelId, claim);
                }
            }
            LiveStream[] created = new LiveStream[1];
            LiveStream stream = streams.computeIfAbsent(channelId, id -> created[0] = newStream(channel));
            if (stream == created[0]) {
                admit(channel);
                failures.remove(channelId);
                stream.launch();
                catchUp(stream);
                return new StartResult(stream, false);
            }
            if (!stream.terminal()) {
                log.info("channel {}: already running, reusing the existing stream", channelId);
                return new StartResult(stream, true);
            }
            retire(stream);
        }
    }

    /**
     * Replaces the channel catalog (a configuration reload) and brings the running streams in
     * line with it: streams of removed channels are stopped, running streams whose definition
     * changed adopt it ({@link LiveStream#reconfigure}, a hot swap when their pipeline must
     * change), except when the change alters the stream's target duration (copy versus
     * transcode), which stops the stream so that the next one starts with the new duration.
     * Stops run in the background; the call does not wait for processes to exit. Reloads are
     * serialized.
     */
    public Reconfiguration reconfigure(ChannelCatalog next) {
        return reconfigure(next, Removal.FROM_CONFIGURATION);
    }

    /**
     * As {@link #reconfigure(ChannelCatalog)}, the streams of channels gone from {@code next}
     * stopping for {@code removal}. An ephemeral channel that {@code next} now configures becomes
     * a configured one (its running stream adopts the configured definition).
     */
    public synchronized Reconfiguration reconfigure(ChannelCatalog next, Removal removal) {
        ChannelCatalog before;
        synchronized (catalogLock) {
            before = channels;
            configured = next;
            ephemeral.keySet().removeIf(id -> next.find(id).isPresent());
            refreshView();
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> swapped = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        int unchanged = 0;
        for (Channel c : before.all()) {
            if (channels.find(c.id()).isEmpty()) {
                removed.add(c.id());
                stopInBackground(c.id(), removal.reason);
            }
        }
        for (Channel c : next.all()) {
            Optional<Channel> old = before.find(c.id());
            if (old.isEmpty()) {
                added.add(c.id());
            } else if (old.get().equals(c)) {
                unchanged++;
            } else {
                switch (adopt(c)) {
                    case UPDATED -> updated.add(c.id());
                    case HOT_SWAP -> swapped.add(c.id());
                    case RESTART -> restarted.add(c.id());
                }
            }
        }
        Reconfiguration r = new Reconfiguration(added, removed, updated, swapped, restarted, unchanged);
        log.info("configuration reloaded: added {}, removed {}, updated {}, hot-swapped {}, restarted {}, "
                + "{} unchanged", brief(added), brief(removed), brief(updated), brief(swapped), brief(restarted),
                unchanged);
        return r;
    }

    /** Ids for a log line: all of them up to {@link #LOGGED_IDS}, else the first ones and how many more. */
    private static String brief(List<String> ids) {
        if (ids.size() <= LOGGED_IDS) {
            return ids.toString();
        }
        return "[" + String.join(", ", ids.subList(0, LOGGED_IDS)) + ", ... and " + (ids.size() - LOGGED_IDS)
                + " more]";
    }

    private enum Adoption {
        UPDATED,
        HOT_SWAP,
        RESTART
    }

    /** Gives a running stream its channel's new definition. */
    private Adoption adopt(Channel c) {
        LiveStream s = streams.get(c.id());
        if (s == null || s.terminal()) {
            return Adoption.UPDATED;
        }
        if (!targetDuration(c).equals(s.store().targetRule())) {
            stopInBackground(c.id(), "configuration changed how the segment duration is chosen, from "
                    + s.store().targetRule() + " to " + targetDuration(c));
            return Adoption.RESTART;
        }
        return s.reconfigure(c) ? Adoption.HOT_SWAP : Adoption.UPDATED;
    }

    /**
     * A stream created from a definition that a concurrent reload replaced takes the current one
     * (or stops, when its channel was removed).
     */
    private void catchUp(LiveStream stream) {
        Optional<Channel> current = channels.find(stream.id());
        if (current.isEmpty()) {
            stopInBackground(stream.id(), "channel removed from the configuration");
        } else if (!current.get().equals(stream.channel())) {
            stream.reconfigure(current.get());
        }
    }

    private void stopInBackground(String channelId, String reason) {
        LiveStream s = streams.get(channelId);
        if (s != null) {
            context.background().execute(() -> s.stop(reason));
        }
    }

    /** Stops the channel's stream if it runs; returns whether it did. */
    public boolean stop(String channelId, String reason) {
        LiveStream s = streams.get(channelId);
        if (s == null) {
            return false;
        }
        s.stop(reason);
        return true;
    }

    public Optional<LiveStream> find(String channelId) {
        return Optional.ofNullable(streams.get(channelId));
    }

    public Collection<LiveStream> all() {
        return List.copyOf(streams.values());
    }

    /**
     * Where the channel's numbering stands: its running stream's, else what its last stream here
     * left; empty when no stream of it ran here (or its ephemeral channel went away).
     */
    public Optional<SegmentStore.Continuation> continuation(String channelId) {
        LiveStream s = streams.get(channelId);
        return s != null ? Optional.of(s.store().continuation()) : Optional.ofNullable(continuations.get(channelId));
    }

    public Optional<Failure> lastFailure(String channelId) {
        return Optional.ofNullable(failures.get(channelId));
    }

    /** The channel's circuit breaker state (it outlives streams). */
    public CircuitState circuitState(String channelId) {
        return context.policy().circuitState(channelId);
    }

    /** The configured channels, then the ephemeral ones of running template streams. */
    public ChannelCatalog channels() {
        return channels;
    }

    /** The configured channels only (file and API), without ephemeral ones. */
    public ChannelCatalog configured() {
        return configured;
    }

    /** Whether {@code channelId} is an ephemeral channel made from a template. */
    public boolean ephemeral(String channelId) {
        synchronized (catalogLock) {
            return ephemeral.containsKey(channelId);
        }
    }

    /** Replaces the templates (a configuration reload); ephemeral channels already made stay as they are. */
    public void templates(List<ChannelTemplate> next) {
        templates = List.copyOf(next);
    }

    /**
     * The channel with this id: a listed one, else one a template would make for it (nothing is
     * created or started). Empty when no channel has the id and no template accepts it.
     */
    public Optional<Channel> lookup(String channelId) {
        Optional<Channel> listed = channels.find(channelId);
        if (listed.isPresent()) {
            return listed;
        }
        for (ChannelTemplate t : templates) {
            Optional<String> value = t.pattern().match(channelId);
            if (value.isPresent()) {
                try {
                    return Optional.of(t.channel(value.get()));
                } catch (InvalidChannelException e) {
                    log.info("template {} refused id {}: {}", t.pattern(), channelId, e.getMessage());
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Lists {@code channel}, whose stream was just created, as ephemeral when no channel of its
     * id is listed (it came from a template). Done after the stream is in the map, so a retiring
     * earlier stream of the id cannot remove the listing.
     */
    private void admit(Channel channel) {
        synchronized (catalogLock) {
            if (channels.find(channel.id()).isEmpty()) {
                ephemeral.put(channel.id(), channel);
                refreshView();
                log.info("channel {}: made from a template on demand", channel.id());
            }
        }
    }

    /** Rebuilds the combined catalog; the caller holds {@link #catalogLock}. */
    private void refreshView() {
        if (ephemeral.isEmpty()) {
            channels = configured;
            return;
        }
        List<Channel> all = new ArrayList<>(configured.all());
        all.addAll(ephemeral.values()); // never a configured id: reconfigure drops those, admit adds no other
        channels = new ChannelCatalog(all);
    }

    /**
     * Periodic work, about every half second: each stream's health check; stops on-demand
     * streams nobody has watched (or waited for) for their channel's linger time, once they have
     * a segment (before that, the first request may not have begun to wait yet, and a start that
     * never produces is the stall sweep's to end); starts always-on channels that are not
     * running.
     */
    public void tick() {
        Moment now = context.time().now();
        for (LiveStream s : all()) {
            s.tick();
            Channel c = s.channel();
            if (c.onDemand() && idle(s, c, now)) {
                context.background().execute(() -> {
                    if (idle(s, c, context.time().now())) { // a viewer may have come while the stop waited its turn
                        s.stop("no viewers for " + Durations.seconds(c.linger()));
                    }
                });
            }
        }
        if (shuttingDown) {
            return;
        }
        for (Channel c : configured.all()) {
            Failure f = failures.get(c.id());
            boolean due = f == null || !f.at().plus(ALWAYS_ON_RETRY).isAfter(now);
            if (!c.onDemand() && !streams.containsKey(c.id()) && due) {
                try {
                    start(c.id());
                } catch (UnknownChannelException | CircuitOpenException | ShuttingDownException
                        | NotOwnerException e) {
                    log.debug("always-on channel {} not started: {}", c.id(), e.getMessage());
                }
            }
        }
    }

    /** Whether nobody has watched or waited for the stream for its channel's linger time, once it has a segment. */
    private static boolean idle(LiveStream s, Channel c, Moment now) {
        return s.viewers() == 0 && s.waiting() == 0 && s.store().hasSegment()
                && !s.lastViewerAt().plus(c.linger()).isAfter(now);
    }

    /**
     * Kills the pipeline of streams whose live run made no first segment within the start
     * timeout (it then goes through the restart decision; a run that has produced is judged by
     * {@link #tick}), and removes streams that are terminal but still listed. Returns how many
     * streams it acted on.
     */
    public int sweep() {
        int cleaned = 0;
        for (LiveStream s : all()) {
            if (s.terminal()) {
                retire(s);
                cleaned++;
                continue;
            }
            if (s.checkStartTimeout(context.settings().startTimeout())) {
                cleaned++;
            }
        }
        return cleaned;
    }

    /** Refuses new starts, stops every stream in parallel, and waits for all processes to be reaped. */
    public void shutdown() {
        shuttingDown = true;
        List<Thread> stops = new ArrayList<>();
        for (LiveStream s : all()) {
            stops.add(Thread.ofVirtual().name("stop-" + s.id()).start(() -> s.stop(StreamChanges.SHUTDOWN)));
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A new stream of the channel, numbered where {@link #continuity} says; when the channel's run
     * on a lost cluster node is continued, that run's end is told first (before the new stream's
     * start, which its launch tells).
     */
    private LiveStream newStream(Channel channel) {
        SegmentStore.Continuation kept = continuations.getOrDefault(channel.id(), SegmentStore.Continuation.FIRST);
        PlaylistContinuity.Resumed resumed = continuity.resume(channel.id(), kept.nextSequence(),
                kept.discontinuitySequence());
        LiveStream stream = new LiveStream(channel, new SegmentStore.Continuation(resumed.nextSequence(),
                resumed.discontinuitySequence()), targetDuration(channel), context, this::ended);
        resumed.lostNode().ifPresent(node -> {
            log.warn("channel {}: its stream on node {} ended when that node was lost; it continues here at media"
                    + " sequence {}", channel.id(), node, resumed.nextSequence());
            context.listener().changed(new StreamChange.Ended(channel.id(), StreamChange.EndReason.NODE_LOST,
                    "node " + node + ", which ran the stream, was lost (its lease expired)"));
        });
        return stream;
    }

    /**
     * How a stream's constant target duration is chosen: the segment duration when transcoding;
     * when copying, fitted to the source's keyframe interval by the first segment.
     */
    private TargetDuration targetDuration(Channel channel) {
        int segmentSeconds = context.settings().segmentSeconds();
        return channel.profile() instanceof OutputProfile.Copy
                ? new TargetDuration.FitKeyframes(Math.max(segmentSeconds, COPY_MIN_TARGET_SECONDS),
                        Math.max(segmentSeconds, COPY_MAX_TARGET_SECONDS))
                : new TargetDuration.Fixed(segmentSeconds);
    }

    private void ended(LiveStream s) {
        if (s.state() instanceof StreamState.Failed f) {
            failures.put(s.id(), new Failure(f.reason(), context.time().now()));
        }
        retire(s);
    }

    /**
     * Removes a terminal stream, keeping its channel's numbering for the next stream; an
     * ephemeral channel goes away with it (unless a new stream of it started meanwhile).
     */
    private void retire(LiveStream s) {
        continuations.merge(s.id(), s.store().continuation(),
                (a, b) -> a.nextSequence() >= b.nextSequence() ? a : b);
        streams.remove(s.id(), s);
        synchronized (catalogLock) {
            if (ephemeral.containsKey(s.id()) && !streams.containsKey(s.id())) {
                ephemeral.remove(s.id());
                continuations.remove(s.id());
                failures.remove(s.id());
                refreshView();
                log.info("channel {}: ephemeral channel of a template removed with its stream", s.id());
            }
        }
    }
}
