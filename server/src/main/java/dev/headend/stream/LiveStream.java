package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.PlaylistView;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.media.TargetDuration;
import dev.headend.media.TsSegmenter;
import dev.headend.pipeline.ByteSink;
import dev.headend.pipeline.PipelineProcess;
import dev.headend.pipeline.ProcessExit;
import dev.headend.pipeline.ProgressStats;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.resilience.CircuitState;
import dev.headend.resilience.RestartDecision;
import dev.headend.time.Durations;
import dev.headend.time.Moment;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running channel: its segment store, its slate feeder, the processes of its runs, and the
 * {@link StreamMachine} that decides what happens to them. This class only carries events to
 * the machine and its commands out.
 *
 * <p>Invariants: the machine and the run table are touched only under {@code lock}, one event at
 * a time; after each event the machine's {@link StreamMachine.View} is published before the
 * lock is released, so readers ({@link #snapshot()}) never see a half-applied event, and the
 * context's listener hears the changes it made, in order; nothing
 * that may block (starting, killing or stopping a process, the manager's bookkeeping) runs
 * under the lock; a run's store input is retired before its exit reaches the machine.
 */
public final class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    /** A run's side of the world: its input to the store and, once started, its process. */
    private static final class RunResources {
        final SegmentStore.Run storeRun;
        PipelineProcess process;

        RunResources(SegmentStore.Run storeRun) {
            this.storeRun = storeRun;
        }
    }

    private final String id;
    private final StreamContext ctx;
    private final SegmentStore store;
    private final SlateFeeder feeder;
    private final Consumer<LiveStream> onTerminal;
    private final Moment createdAt;
    private final AtomicInteger viewers = new AtomicInteger();
    /** Requests waiting in {@link #awaitReady}: a stream someone waits for is not left unwatched. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Object lock = new Object();
    private final StreamMachine machine;
    private final Map<Long, RunResources> runs = new HashMap<>();
    private volatile StreamMachine.View view;
    /** The circuit breaker's state as of the last event, for the listener. Under lock. */
    private CircuitState circuit;
    private volatile Moment lastViewerAt;

    LiveStream(Channel channel, SegmentStore.Continuation continuation, TargetDuration targetDuration,
            StreamContext ctx, Consumer<LiveStream> onTerminal) {
        this.id = channel.id();
        this.ctx = ctx;
        this.onTerminal = onTerminal;
        this.createdAt = ctx.time().now();
        this.lastViewerAt = createdAt;
        this.store = new SegmentStore(targetDuration, ctx.settings().windowSegments(),
                ctx.settings().keptAfterWindow(), continuation, ctx.time());
        this.machine = new StreamMachine(channel, store::targetDuration, ctx.settings(), ctx.policy());
        this.view = machine.view();
        this.circuit = ctx.policy().circuitState(id);
        this.feeder = new SlateFeeder(this::channel, this::nextRestartAt, store, ctx.slates(), ctx.scheduler(),
                ctx.time());
    }

    public String id() {
        return id;
    }

    /** The channel's current definition. */
    public Channel channel() {
        return view.channel();
    }

    public SegmentStore store() {
        return store;
    }

    /** When the stream's newest segment closed (or the stream began), on the monotonic clock. */
    public Moment lastSegmentAt() {
        return store.lastSegmentAt();
    }

    /** The playlist's target duration: how long a player may take between two segment requests. */
    public Duration targetDuration() {
        return Duration.ofSeconds(store.targetDuration());
    }

    public StreamState state() {
        return view.state();
    }

    public boolean terminal() {
        return StreamState.terminal(view.state());
    }

    public int viewers() {
        return viewers.get();
    }

    /**
     * When the last viewer joined or left, a heartbeat last came, or a request last stopped
     * waiting for the first segment (or the stream was created).
     */
    public Moment lastViewerAt() {
        return lastViewerAt;
    }

    /** Requests waiting for the first segment now; the idle check leaves the stream alone meanwhile. */
    int waiting() {
        return waiting.get();
    }

    /** A viewer session on this stream began. */
    public void viewerJoined() {
        viewers.incrementAndGet();
        lastViewerAt = ctx.time().now();
    }

    /**
     * Someone watches the stream now without a session here (a heartbeat from an external web
     * server): it lingers from now as after its last viewer.
     */
    public void watched() {
        lastViewerAt = ctx.time().now();
    }

    /** A viewer session on this stream ended. */
    public void viewerLeft() {
        viewers.decrementAndGet();
        lastViewerAt = ctx.time().now();
    }

    /** One consistent picture of the stream, for the API, the dashboard and the metrics. */
    public StreamSnapshot snapshot() {
        StreamMachine.View v;
        PipelineProcess process;
        synchronized (lock) {
            v = view;
            RunResources live = runs.get(v.liveRunId());
            process = live == null ? null : live.process;
        }
        Moment now = ctx.time().now();
        ProgressStats progress = process == null ? ProgressStats.NONE : process.progress();
        PlaylistView playlist = store.playlist();
        Optional<Instant> lastSegmentAt = store.newestClosed().map(s -> s.programDateTime()
                .plusMillis(Math.round(s.duration() * 1000)));
        HealthVerdict verdict = v.health();
        return new StreamSnapshot(
                v.channel(),
                v.state(),
                createdAt.until(now),
                viewers.get(),
                process != null && process.alive() ? Optional.of(process.pid()) : Optional.empty(),
                process == null || v.liveStartedAt() == null ? Optional.empty()
                        : Optional.of(v.liveStartedAt().until(now)),
                v.restarts(),
                Optional.ofNullable(v.lastError()),
                new Health(verdict.status(), verdict.reason(), progress.fps(), progress.speed(),
                        progress.bitrateKbps(), progress.droppedFrames(), lastSegmentAt),
                ctx.policy().circuitState(id),
                Optional.ofNullable(v.nextRestartAt()).map(ctx.time()::wallTime),
                feeder.status(),
                ctx.slates().readiness(v.channel()),
                v.activeSourceIndex(),
                v.activeSource(),
                playlist.targetDuration(),
                playlist.mediaSequence(),
                progress);
    }

    /**
     * Waits until the stream has a segment, then until its playlist lists the stream's initial
     * segments; when {@code timeout} is over before those, it returns with the segments there are.
     *
     * @throws StreamUnavailableException when it failed, was stopped, or made no segment in time
     */
    public void awaitReady(Duration timeout) throws StreamUnavailableException, InterruptedException {
        waiting.incrementAndGet();
        Moment start = ctx.time().now();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            store.awaitListed(ctx.settings().initialSegments(), timeout.minus(start.until(ctx.time().now())));
        } catch (TimeoutException e) {
            String lastError = view.lastError();
            throw new StreamUnavailableException("start_timeout", "channel " + id + " produced no segment within "
                    + Durations.seconds(timeout) + (lastError == null ? "" : " (last error: " + lastError + ")"));
        } catch (ExecutionException e) {
            throw (StreamUnavailableException) e.getCause();
        } finally {
            // the linger time counts from here: a player redirected with a new token comes back in it
            lastViewerAt = ctx.time().now();
            waiting.decrementAndGet();
        }
    }

    /**
     * A viewer who takes the slate waits for the first segment: until it comes, a failed start is
     * retried behind the slate (saying what is wrong) instead of failing the stream.
     */
    public void coverStartWithSlate() {
        deliver(StreamMachine::coverStartWithSlate);
    }

    /**
     * Ends the stream: the store is ended (EXT-X-ENDLIST, TS readers finish) and its pipeline
     * processes are stopped (SIGTERM, SIGKILL after the grace period). Blocks until they are
     * reaped. Idempotent.
     */
    public void stop(String reason) {
        deliver(m -> m.stop(reason));
    }

    /**
     * Operator restart: a new run starts beside the live one and takes over at a segment
     * boundary (no gap, no slate), when the restart policy allows.
     *
     * @return the decision, or empty when the stream cannot be restarted now (it is not
     *     running, or a replacement is already under way)
     */
    public Optional<RestartDecision> restart() {
        return ask(m -> m.restart(ctx.time().now()));
    }

    /**
     * Adopts a new definition of this stream's channel (see {@link StreamMachine#reconfigure}).
     *
     * @return whether the live run is to be replaced
     */
    public boolean reconfigure(Channel next) {
        return ask(m -> m.reconfigure(next, ctx.time().now()));
    }

    /** Starts the first run, on the caller's thread. Called once, by the manager that created the stream. */
    void launch() {
        List<Runnable> deferred;
        synchronized (lock) {
            ctx.listener().changed(new StreamChange.Started(id, view.activeSourceIndex(),
                    view.activeSource().display()));
            deferred = underLock(machine.launch(ctx.time().now()), true);
        }
        deferred.forEach(Runnable::run);
    }

    /** The periodic check: health, stalls, pending replacements (see {@link StreamMachine#tick}). */
    void tick() {
        deliver(m -> {
            RunResources live = runs.get(m.liveRunId());
            ProgressStats progress = live == null || live.process == null ? ProgressStats.NONE
                    : live.process.progress();
            return m.tick(progress, store.lastSegmentAt(), ctx.time().now());
        });
    }

    /** Kills the live run if it made no first segment within {@code startTimeout}; returns whether it did. */
    boolean checkStartTimeout(Duration startTimeout) {
        return ask(m -> m.checkStartTimeout(startTimeout, ctx.time().now()));
    }

    private Optional<Instant> nextRestartAt() {
        return Optional.ofNullable(view.nextRestartAt()).map(ctx.time()::wallTime);
    }

    private void deliver(Function<StreamMachine, List<StreamCommand>> event) {
        List<Runnable> deferred;
        synchronized (lock) {
            deferred = underLock(event.apply(machine), false);
        }
        deferred.forEach(Runnable::run);
    }

    private <T> T ask(Function<StreamMachine, StreamMachine.Outcome<T>> event) {
        StreamMachine.Outcome<T> outcome;
        List<Runnable> deferred;
        synchronized (lock) {
            outcome = event.apply(machine);
            deferred = underLock(outcome.commands(), false);
        }
        deferred.forEach(Runnable::run);
        return outcome.answer();
    }

    /**
     * Publishes the machine's view and carries out the commands that cannot block; returns the
     * others, in order, to run once the lock is released. Under lock.
     *
     * @param spawnHere start processes on the caller's thread (the first start, whose caller
     *     waits for it) rather than on a background thread
     */
    private List<Runnable> underLock(List<StreamCommand> commands, boolean spawnHere) {
        StreamMachine.View before = view;
        CircuitState circuitBefore = circuit;
        view = machine.view();
        circuit = ctx.policy().circuitState(id);
        for (StreamChange change : StreamChanges.between(id, before, view, circuitBefore, circuit)) {
            ctx.listener().changed(change);
        }
        List<Runnable> deferred = new ArrayList<>();
        for (StreamCommand c : commands) {
            switch (c) {
                case StreamCommand.Spawn s -> {
                    RunResources resources = new RunResources(store.newRun(ctx.settings().segmentSeconds(),
                            segment -> segmentClosed(s.runId(), segment),
                            reason -> deliver(m -> m.unfit(s.runId(), reason))));
                    runs.put(s.runId(), resources);
                    Runnable spawn = () -> spawn(s, resources);
                    deferred.add(spawnHere ? spawn : () -> ctx.background().execute(spawn));
                }
                case StreamCommand.Kill k -> process(k.runId())
                        .ifPresent(p -> deferred.add(() -> ctx.background().execute(p::kill)));
                case StreamCommand.Stop s -> process(s.runId()).ifPresent(p -> {
                    Runnable stop = () -> p.stop(ctx.settings().stopGrace());
                    deferred.add(s.await() ? stop : () -> ctx.background().execute(stop));
                });
                case StreamCommand.Schedule s -> ctx.scheduler().schedule(ctx.time().now().until(s.at()),
                        () -> deliver(m -> m.due(s.due(), ctx.time().now())));
                case StreamCommand.ShowSlate s -> {
                    feeder.start();
                    deferred.add(feeder::feedNow);
                }
                case StreamCommand.HideSlate h -> feeder.stop();
                case StreamCommand.PrepareSlate p -> ctx.slates().prepare(p.channel(), p.reference());
                case StreamCommand.Ready r -> ready.complete(null);
                case StreamCommand.Unavailable u -> ready.completeExceptionally(
                        new StreamUnavailableException(u.code(), u.message()));
                case StreamCommand.EndStore e -> store.end();
                case StreamCommand.Ended e -> deferred.add(() -> onTerminal.accept(this));
            }
        }
        return deferred;
    }

    /** The process of a run, if it has one. Under lock. */
    private Optional<PipelineProcess> process(long runId) {
        RunResources r = runs.get(runId);
        return Optional.ofNullable(r == null ? null : r.process);
    }

    /**
     * Starts a run's process (the process pool may make this wait for a spawn token) and reports
     * the outcome to the machine. Once the token is there, nothing starts if the stream ended
     * meanwhile; a process that arrives after its run was dropped is stopped.
     */
    private void spawn(StreamCommand.Spawn s, RunResources resources) {
        PipelineProcess process;
        try {
            TsSegmenter segmenter = resources.storeRun.segmenter();
            process = ctx.launcher().launch(s.channel(), s.source(), new ByteSink() {
                @Override
                public void write(byte[] data, int offset, int length) {
                    segmenter.accept(data, offset, length);
                }

                @Override
                public void end() {
                    segmenter.finish();
                }
            }, exit -> exited(s.runId(), resources, exit), () -> !terminal());
        } catch (SpawnRefusedException e) {
            spawnFailed(s.runId(), resources, "spawn refused (" + e.code() + "): " + e.getMessage(),
                    Optional.of(e.code()));
            return;
        } catch (IOException e) {
            spawnFailed(s.runId(), resources, "cannot start ffmpeg: " + e.getMessage(), Optional.empty());
            return;
        } catch (RuntimeException e) {
            log.error("channel {}: starting run {} failed", id, s.runId(), e);
            spawnFailed(s.runId(), resources, "cannot start ffmpeg: " + e, Optional.empty());
            return;
        }
        List<Runnable> deferred;
        synchronized (lock) {
            resources.process = process;
            deferred = underLock(machine.spawned(s.runId()), false);
        }
        deferred.forEach(Runnable::run);
    }

    private void spawnFailed(long runId, RunResources resources, String reason, Optional<String> refusedCode) {
        resources.storeRun.retire();
        deliver(m -> {
            runs.remove(runId);
            return m.spawnFailed(runId, reason, refusedCode, viewers.get(), ctx.time().now());
        });
    }

    private void exited(long runId, RunResources resources, ProcessExit exit) {
        resources.storeRun.retire();
        deliver(m -> {
            runs.remove(runId);
            return m.exited(runId, exit, viewers.get(), ctx.time().now());
        });
    }

    private void segmentClosed(long runId, Segment segment) {
        deliver(m -> m.segmentClosed(runId, segment, ctx.time().now()));
    }
}
