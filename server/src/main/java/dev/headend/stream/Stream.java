package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.pipeline.Pipeline;
import dev.headend.pipeline.PipelineExit;
import dev.headend.pipeline.ProgressStats;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.resilience.CircuitState;
import dev.headend.resilience.RestartCause;
import dev.headend.resilience.RestartDecision;
import dev.headend.resilience.RestartPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running channel: its segment store, the pipeline run feeding it and, during a hot swap, the
 * replacement run warming up.
 *
 * <p>Invariants: at most one live run and one replacement run exist; a replacement takes over
 * only once its first segment has closed (the store switches at that segment boundary), then
 * the old pipeline is stopped; every restart after a failure is timed by the {@link
 * RestartPolicy}, and the slate fills the playlist until a new run is live; once the state is
 * terminal no pipeline is launched again, the store is ended, and {@code onTerminal} has run
 * exactly once. State changes happen under {@code lock}; pipeline stops happen outside it.
 *
 * <p>The channel definition can change while the stream runs (configuration reload): each run
 * keeps the definition it was built from, new runs take the current one, and a live run whose
 * pipeline no longer matches the definition is hot-swapped (see {@link #reconfigure}).
 */
public final class Stream {
    private static final Logger log = LoggerFactory.getLogger(Stream.class);

    /** Knobs for one stream. */
    public record Settings(int segmentSeconds, Duration stopGrace, Duration maxProcessAge, Failover failover) {}

    /** Collaborators shared by all streams. */
    public record Context(PipelineLauncher launcher, RestartPolicy policy, SlateProvider slates,
            ScheduledExecutorService scheduler, Clock clock, Settings settings) {}

    /** Why a run exists. */
    private enum Purpose {
        LIVE,
        OPERATOR,
        LONG_RUN,
        FAILBACK,
        RECONFIGURE
    }

    /** One pipeline run: the definition it was built from, its source, its process and its run in the store. */
    private final class Attempt {
        final Purpose purpose;
        final Channel channel;
        final int sourceIndex;
        final SegmentStore.Run run;
        final Instant startedAt;
        volatile Pipeline pipeline;
        volatile Instant producingSince;
        volatile RestartCause exitCause = RestartCause.CRASH;

        Attempt(Purpose purpose, int sourceIndex) {
            this.purpose = purpose;
            this.channel = Stream.this.channel;
            this.sourceIndex = sourceIndex;
            this.startedAt = ctx.clock().instant();
            this.run = store.newRun(ctx.settings().segmentSeconds(), s -> segmentClosed(this, s));
        }

        /** The process id, or -1 before the process is spawned. */
        long pid() {
            Pipeline p = pipeline;
            return p == null ? -1 : p.pid();
        }
    }

    private volatile Channel channel;
    private final SegmentStore store;
    private final Context ctx;
    private final Consumer<Stream> onTerminal;
    private final Instant createdAt;
    private final AtomicInteger viewers = new AtomicInteger();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Object lock = new Object();
    private final SlateFeeder feeder;
    private volatile SourceSelector sources;
    private final HealthTracker healthTracker;

    private volatile StreamState state = new StreamState.Starting();
    private volatile Attempt live;
    private volatile Attempt replacement;
    private boolean replacementPending;
    private boolean reconfigureFailed;
    private volatile Instant lastViewerAt;
    private volatile String lastError;
    private volatile int restarts;
    private volatile Health health;

    Stream(Channel channel, SegmentStore.Continuation continuation, int targetDuration, int window, Context ctx,
            Consumer<Stream> onTerminal) {
        this.channel = channel;
        this.ctx = ctx;
        this.onTerminal = onTerminal;
        this.createdAt = ctx.clock().instant();
        this.lastViewerAt = createdAt;
        this.store = new SegmentStore(targetDuration, window, continuation, ctx.clock());
        this.feeder = new SlateFeeder(this::channel, this::nextRestartAt, store, ctx.slates(), ctx.scheduler(),
                ctx.clock());
        this.sources = new SourceSelector(channel.sources().size(), ctx.settings().failover(), ctx.clock());
        this.healthTracker = new HealthTracker(targetDuration);
        this.health = new Health(HealthStatus.UNHEALTHY, "starting: no segment yet", 0, 0, 0, 0, createdAt);
    }

    public Channel channel() {
        return channel;
    }

    public String id() {
        return channel.id();
    }

    public SegmentStore store() {
        return store;
    }

    public StreamState state() {
        return state;
    }

    public boolean terminal() {
        return StreamState.terminal(state);
    }

    public Duration uptime() {
        return Duration.between(createdAt, ctx.clock().instant());
    }

    public int viewers() {
        return viewers.get();
    }

    public int restarts() {
        return restarts;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Long> pid() {
        Attempt a = live;
        Pipeline p = a == null ? null : a.pipeline;
        return p != null && p.alive() ? Optional.of(p.pid()) : Optional.empty();
    }

    /** Age of the live pipeline process, if one runs. */
    public Optional<Duration> processAge() {
        Attempt a = live;
        return a == null || a.pipeline == null ? Optional.empty()
                : Optional.of(Duration.between(a.startedAt, ctx.clock().instant()));
    }

    public ProgressStats progress() {
        Attempt a = live;
        Pipeline p = a == null ? null : a.pipeline;
        return p == null ? ProgressStats.NONE : p.progress();
    }

    /**
     * Index of the source the live run reads, in the source list of the definition that run was
     * built from (which a reload may have replaced since); with no live run, the index in the
     * current definition of the source the next run reads.
     */
    public int activeSourceIndex() {
        Attempt a = live;
        return a == null ? sources.current() : a.sourceIndex;
    }

    /** The source at {@link #activeSourceIndex()}, from the same definition. */
    public Source activeSource() {
        synchronized (lock) {
            Attempt a = live;
            return a == null ? channel.sources().get(sources.current()) : a.channel.sources().get(a.sourceIndex);
        }
    }

    public CircuitState circuitState() {
        return ctx.policy().circuitState(id());
    }

    /** When the pending restart is due, while restarting. */
    public Optional<Instant> nextRestartAt() {
        return state instanceof StreamState.Restarting r ? Optional.of(r.at()) : Optional.empty();
    }

    /** The status line of the slate showing now (empty when it has none), while a slate shows. */
    public Optional<String> slateStatus() {
        return feeder.status();
    }

    /** The current health; a dead or restarting stream is {@link HealthStatus#FAILED}. */
    public Health health() {
        return switch (state) {
            case StreamState.Restarting r -> failedHealth(r.reason());
            case StreamState.Failed f -> failedHealth(f.reason());
            case StreamState.Stopped s -> failedHealth("stopped: " + s.reason());
            case StreamState.Starting s -> health;
            case StreamState.Running r -> health;
        };
    }

    public Instant lastViewerAt() {
        return lastViewerAt;
    }

    /** A viewer session on this stream began. */
    public void viewerJoined() {
        viewers.incrementAndGet();
        lastViewerAt = ctx.clock().instant();
    }

    /** A viewer session on this stream ended. */
    public void viewerLeft() {
        viewers.decrementAndGet();
        lastViewerAt = ctx.clock().instant();
    }

    /** Starts the first pipeline. Called once, by the manager that created the stream. */
    void launch() {
        Attempt a;
        synchronized (lock) {
            if (terminal()) {
                return;
            }
            a = new Attempt(Purpose.LIVE, sources.current());
            live = a;
        }
        spawn(a);
    }

    /**
     * Waits until the stream has a segment.
     *
     * @throws StreamUnavailableException when it failed, was stopped, or timed out
     */
    public void awaitReady(Duration timeout) throws StreamUnavailableException, InterruptedException {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StreamUnavailableException("start_timeout", "channel " + id() + " produced no segment within "
                    + timeout.toSeconds() + " s" + lastError().map(r -> " (last error: " + r + ")").orElse(""));
        } catch (ExecutionException e) {
            throw (StreamUnavailableException) e.getCause();
        }
    }

    /**
     * Ends the stream: the store is ended (EXT-X-ENDLIST, TS readers finish) and its pipelines
     * are stopped (SIGTERM, SIGKILL after the grace period). Blocks until they are reaped.
     * Idempotent.
     */
    public void stop(String reason) {
        Attempt a;
        Attempt r;
        synchronized (lock) {
            if (terminal()) {
                return;
            }
            state = new StreamState.Stopped(reason);
            a = live;
            r = replacement;
            store.end();
            ready.completeExceptionally(new StreamUnavailableException("stream_stopped",
                    "channel " + id() + " was stopped: " + reason));
        }
        feeder.stop();
        log.info("channel {}: stopping ({})", id(), reason);
        onTerminal.accept(this);
        stopPipeline(r);
        stopPipeline(a);
    }

    /**
     * Operator restart: a new pipeline is started beside the running one and takes over at a
     * segment boundary once it produces (no gap, no slate), when the restart policy allows.
     *
     * @return the decision, or empty when the stream cannot be restarted now (it is not
     *     running, or a replacement is already under way)
     */
    public Optional<RestartDecision> restart() {
        synchronized (lock) {
            return requestReplacement(Purpose.OPERATOR, activeSourceIndex(), RestartCause.OPERATOR);
        }
    }

    /**
     * Adopts a new definition of this stream's channel (same id), from a configuration reload.
     * Names, policies and the slate take effect at once and every run started from now on is
     * built from it. When the live pipeline no longer matches it ({@link Channel#samePipeline}),
     * that pipeline is hot-swapped: a replacement built from the new definition is started
     * beside it (through the restart policy, cooldown waived) and takes over at a segment
     * boundary, with no gap and no slate; a stream still starting is swapped once it runs. A
     * replacement that fails leaves the old pipeline playing and is tried again after the
     * cooldown, as a failure for the circuit breaker. A new source list restarts failover from
     * its first source.
     *
     * @return whether the live pipeline is to be hot-swapped
     */
    public boolean reconfigure(Channel next) {
        if (!next.id().equals(id())) {
            throw new IllegalArgumentException("channel " + next.id() + " is not " + id());
        }
        synchronized (lock) {
            if (terminal()) {
                return false;
            }
            if (!channel.sources().equals(next.sources())) {
                sources = new SourceSelector(next.sources().size(), ctx.settings().failover(), ctx.clock());
            }
            channel = next;
            reconfigureFailed = false;
            Attempt a = live;
            boolean swap = a != null && !a.channel.samePipeline(next);
            if (swap) {
                log.info("channel {}: definition changed; replacing pipeline pid {}", id(), a.pid());
                swapIfStale();
            }
            return swap;
        }
    }

    /**
     * Periodic check (about every half second): health, stall, replacement of a pipeline built
     * from an older definition, long-run replacement and failback to the first source.
     */
    void tick() {
        Attempt a;
        Optional<HealthTracker.Stall> stall;
        synchronized (lock) {
            a = live;
            if (terminal() || !(state instanceof StreamState.Running) || a == null || a.producingSince == null) {
                return;
            }
            Instant now = ctx.clock().instant();
            HealthTracker.Evaluation e = healthTracker.evaluate(now, progress(), store.lastSegmentAt(),
                    a.producingSince);
            health = e.health();
            stall = e.stall();
            if (stall.isEmpty() && replacement == null) {
                if (!a.channel.samePipeline(channel)) {
                    swapIfStale();
                } else if (Duration.between(a.startedAt, now).compareTo(ctx.settings().maxProcessAge()) > 0) {
                    log.info("channel {}: pipeline pid {} reached the long-run limit, replacing it", id(), a.pid());
                    requestReplacement(Purpose.LONG_RUN, a.sourceIndex, RestartCause.OPERATOR);
                } else if (sources.failbackDue()) {
                    log.info("channel {}: trying the first source again", id());
                    requestReplacement(Purpose.FAILBACK, 0, RestartCause.OPERATOR);
                }
            }
        }
        stall.ifPresent(s -> kill(a, s.reason(), s.cause()));
    }

    /**
     * Kills the live pipeline if it made no first segment within {@code startTimeout} of its
     * start. Returns whether it was killed. A run that has produced is judged by {@link #tick}.
     */
    boolean killIfStalled(Instant now, Duration startTimeout) {
        Attempt a = live;
        if (a == null || a.producingSince != null || a.pipeline == null || !a.pipeline.alive() || terminal()) {
            return false;
        }
        Duration quiet = Duration.between(a.startedAt, now);
        if (quiet.compareTo(startTimeout) <= 0) {
            return false;
        }
        kill(a, "stalled: no new segment for " + quiet.toSeconds() + " s", RestartCause.STALL);
        return true;
    }

    private void kill(Attempt a, String reason, RestartCause cause) {
        Pipeline p = a.pipeline;
        if (p == null || !p.alive()) {
            return;
        }
        a.exitCause = cause;
        lastError = reason;
        log.warn("channel {}: {}; killing pid {}", id(), reason, p.pid());
        p.kill();
    }

    /**
     * Spawns a prepared run's process, outside the lock (the process pool may wait for a spawn
     * token). A refused or failed spawn is reported like an exit; a process that arrives after
     * its run was dropped (the stream stopped meanwhile) is stopped at once.
     */
    private void spawn(Attempt a) {
        Pipeline p;
        try {
            p = ctx.launcher().launch(a.channel, a.channel.sources().get(a.sourceIndex), a.run.segmenter(),
                    exit -> exited(a, exit));
        } catch (SpawnRefusedException e) {
            a.exitCause = RestartCause.SPAWN_REFUSED;
            exited(a, new PipelineExit(-1, "spawn refused (" + e.code() + "): " + e.getMessage(), false), e.code());
            return;
        } catch (IOException e) {
            exited(a, new PipelineExit(-1, "cannot start ffmpeg: " + e.getMessage(), false));
            return;
        }
        boolean orphaned;
        synchronized (lock) {
            a.pipeline = p;
            orphaned = terminal() || (a != live && a != replacement);
        }
        if (orphaned) {
            p.stop(ctx.settings().stopGrace());
        }
    }

    /**
     * Hot-swaps the live run when it was built from an older definition of the channel and is
     * producing; the first try is a configuration change, a try after a failed replacement is a
     * failure (cooldown, circuit breaker). Under lock.
     */
    private void swapIfStale() {
        Attempt a = live;
        if (a != null && a.producingSince != null && !a.channel.samePipeline(channel)) {
            requestReplacement(Purpose.RECONFIGURE, sources.current(),
                    reconfigureFailed ? RestartCause.REPLACEMENT_FAILED : RestartCause.CONFIG_CHANGE);
        }
    }

    /**
     * Asks the restart policy for a slot and, when it comes, starts a replacement run beside the
     * live one. Under lock. Empty when the stream is not running or a replacement is under way.
     */
    private Optional<RestartDecision> requestReplacement(Purpose purpose, int sourceIndex, RestartCause cause) {
        if (!(state instanceof StreamState.Running) || replacement != null || replacementPending) {
            return Optional.empty();
        }
        replacementPending = true;
        RestartDecision d = ctx.policy().decide(id(), cause, Duration.ZERO,
                "hot swap: " + purpose.name().toLowerCase(java.util.Locale.ROOT));
        schedule(d.at(), () -> {
            Attempt a;
            synchronized (lock) {
                replacementPending = false;
                boolean current = purpose == Purpose.RECONFIGURE && live != null && live.channel.samePipeline(channel);
                if (!(state instanceof StreamState.Running) || replacement != null || current) {
                    return;
                }
                a = new Attempt(purpose, Math.min(sourceIndex, channel.sources().size() - 1));
                replacement = a;
            }
            spawn(a);
        });
        return Optional.of(d);
    }

    private void segmentClosed(Attempt a, Segment segment) {
        boolean first = false;
        boolean tookOver = false;
        boolean recovered = false;
        Attempt retiring = null;
        synchronized (lock) {
            if (terminal()) {
                return;
            }
            if (a == replacement) {
                retiring = live;
                live = a;
                replacement = null;
                tookOver = true;
                a.producingSince = ctx.clock().instant();
                healthTracker.reset();
                if (a.purpose == Purpose.FAILBACK && readsCurrentSources(a)) {
                    sources.returnedToFirst();
                } else if (a.purpose == Purpose.RECONFIGURE) {
                    reconfigureFailed = false;
                }
                if (state instanceof StreamState.Restarting) {
                    state = new StreamState.Running();
                    ctx.policy().onSuccess(id());
                    recovered = true;
                }
                log.info("channel {}: replacement pipeline pid {} took over ({})", id(), a.pid(),
                        a.purpose.name().toLowerCase(java.util.Locale.ROOT));
            } else if (a == live && a.producingSince == null) {
                a.producingSince = ctx.clock().instant();
                healthTracker.reset();
                state = new StreamState.Running();
                health = new Health(HealthStatus.HEALTHY, null, 0, 0, 0, 0, a.producingSince);
                ctx.policy().onSuccess(id());
                if (readsCurrentSources(a)) {
                    sources.producing(a.sourceIndex);
                }
                first = true;
            }
        }
        if (first || recovered) {
            feeder.stop();
        }
        if (first) {
            ready.complete(null);
        }
        if (first || tookOver) {
            // a run became live: the slate is made (or kept, when it still fits) for its definition and format
            ctx.slates().prepare(channel, segment);
        }
        if (retiring != null) {
            Attempt old = retiring;
            Thread.ofVirtual().start(() -> stopPipeline(old));
        }
    }

    private void exited(Attempt a, PipelineExit exit) {
        exited(a, exit, null);
    }

    private void exited(Attempt a, PipelineExit exit, String refusedCode) {
        boolean end = false;
        synchronized (lock) {
            a.run.retire();
            if (terminal() || exit.requested()) {
                return;
            }
            if (a == replacement) {
                replacement = null;
                lastError = "replacement pipeline failed: " + exit.reason();
                log.warn("channel {}: {}", id(), lastError);
                if (a.purpose == Purpose.FAILBACK && readsCurrentSources(a)) {
                    sources.failbackFailed();
                } else if (a.purpose == Purpose.RECONFIGURE) {
                    reconfigureFailed = true;
                }
                return;
            }
            if (a != live) {
                return;
            }
            String reason = a.exitCause == RestartCause.STALL || a.exitCause == RestartCause.UNHEALTHY
                    ? lastError + " (then " + exit.reason() + ")" : exit.reason();
            lastError = reason;
            log.warn("channel {}: pipeline ended (status {}): {}", id(), exit.exitCode(), reason);
            if (!ready.isDone()) {
                if (!readsCurrentSources(a) || !a.channel.samePipeline(channel)
                        || sources.failedAtStart(a.sourceIndex)) {
                    log.warn("channel {}: source {} failed at start, trying source {}{}", id(), a.sourceIndex,
                            sources.current(), a.channel == channel ? "" : " of the new definition");
                    Attempt next = new Attempt(Purpose.LIVE, sources.current());
                    live = next;
                    Thread.ofVirtual().name("failover-" + id()).start(() -> spawn(next));
                    return;
                }
            } else if (readsCurrentSources(a) && sources.failed(a.sourceIndex)) {
                log.warn("channel {}: source {} failed repeatedly, moving to source {}", id(), a.sourceIndex,
                        sources.current());
            }
            Duration healthy = a.producingSince == null ? Duration.ZERO
                    : Duration.between(a.producingSince, ctx.clock().instant());
            boolean watched = viewers.get() > 0 || !channel.onDemand();
            if (!ready.isDone()) {
                ctx.policy().recordFailure(id(), reason);
                state = new StreamState.Failed(reason);
                String code = refusedCode != null ? refusedCode : "source_failed";
                ready.completeExceptionally(new StreamUnavailableException(code,
                        "channel " + id() + " could not start: " + reason));
                end = true;
            } else if (!watched) {
                state = new StreamState.Stopped("pipeline ended with no viewers: " + reason);
                end = true;
            } else {
                RestartDecision d = ctx.policy().decide(id(), a.exitCause, healthy, reason);
                restarts++;
                state = new StreamState.Restarting(reason, d.at());
                live = null;
                feeder.start();
                schedule(d.at(), this::relaunch);
            }
            if (end) {
                store.end();
            }
        }
        if (end) {
            feeder.stop();
            onTerminal.accept(this);
        }
    }

    /** True when the run reads from the channel's current source list (its index means the same there). */
    private boolean readsCurrentSources(Attempt a) {
        return a.channel.sources().equals(channel.sources());
    }

    private void relaunch() {
        Attempt a;
        synchronized (lock) {
            if (!(state instanceof StreamState.Restarting) || live != null) {
                return;
            }
            log.info("channel {}: restarting pipeline (restart {}, source {})", id(), restarts, sources.current());
            ctx.policy().onAttempt(id());
            a = new Attempt(Purpose.LIVE, sources.current());
            live = a;
        }
        spawn(a);
    }

    /** Runs {@code task} at {@code at} on its own virtual thread (a spawn may wait for a token). */
    private void schedule(Instant at, Runnable task) {
        long delay = Math.max(0, Duration.between(ctx.clock().instant(), at).toMillis());
        ctx.scheduler().schedule(() -> Thread.ofVirtual().name("restart-" + id()).start(task), delay,
                TimeUnit.MILLISECONDS);
    }

    private void stopPipeline(Attempt a) {
        if (a != null && a.pipeline != null) {
            a.pipeline.stop(ctx.settings().stopGrace());
        }
    }

    private Health failedHealth(String reason) {
        ProgressStats p = progress();
        return new Health(HealthStatus.FAILED, reason, p.fps(), p.speed(), p.bitrateKbps(), p.droppedFrames(),
                store.lastSegmentAt());
    }
}
