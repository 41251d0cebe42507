package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.pipeline.Pipeline;
import dev.headend.pipeline.PipelineExit;
import dev.headend.pipeline.ProgressStats;
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
 * A running channel: its segment store and the pipeline feeding it.
 *
 * <p>Invariants: at most one pipeline is alive per stream (a replacement is launched only after
 * the previous one has exited); once the state is terminal ({@link StreamState.Failed} or
 * {@link StreamState.Stopped}) no pipeline is launched again and the store is ended; {@code
 * onTerminal} runs exactly once, as soon as the stream turns terminal (before its last pipeline
 * has been reaped). State changes happen under {@code lock}; pipeline stops happen outside it.
 */
public final class Stream {
    private static final Logger log = LoggerFactory.getLogger(Stream.class);

    /** Restart knobs for one stream. */
    public record Policy(int segmentSeconds, int restartAttempts, Duration stopGrace) {}

    private final Channel channel;
    private final SegmentStore store;
    private final PipelineLauncher launcher;
    private final Policy policy;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Stream> onTerminal;
    private final Clock clock;
    private final Instant createdAt;
    private final AtomicInteger viewers = new AtomicInteger();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Object lock = new Object();

    private volatile StreamState state = new StreamState.Starting();
    private volatile Pipeline pipeline;
    private volatile Instant lastViewerAt;
    private volatile String lastError;
    private volatile int restarts;
    private int consecutiveFailures;
    private boolean segmentInRun;

    Stream(Channel channel, SegmentStore.Continuation continuation, int targetDuration, int window,
            PipelineLauncher launcher, Policy policy, ScheduledExecutorService scheduler, Clock clock,
            Consumer<Stream> onTerminal) {
        this.channel = channel;
        this.launcher = launcher;
        this.policy = policy;
        this.scheduler = scheduler;
        this.clock = clock;
        this.onTerminal = onTerminal;
        this.createdAt = clock.instant();
        this.lastViewerAt = createdAt;
        this.store = new SegmentStore(targetDuration, window, continuation, clock, this::segmentClosed);
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

    public Instant createdAt() {
        return createdAt;
    }

    public Duration uptime() {
        return Duration.between(createdAt, clock.instant());
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
        Pipeline p = pipeline;
        return p != null && p.alive() ? Optional.of(p.pid()) : Optional.empty();
    }

    public ProgressStats progress() {
        Pipeline p = pipeline;
        return p == null ? ProgressStats.NONE : p.progress();
    }

    public Instant lastViewerAt() {
        return lastViewerAt;
    }

    /** A viewer session on this stream began. */
    public void viewerJoined() {
        viewers.incrementAndGet();
        lastViewerAt = clock.instant();
    }

    /** A viewer session on this stream ended. */
    public void viewerLeft() {
        viewers.decrementAndGet();
        lastViewerAt = clock.instant();
    }

    /** Starts the first pipeline. Called once, by the manager that created the stream. */
    void launch() {
        synchronized (lock) {
            if (!terminal()) {
                spawn();
            }
        }
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

    /** True once the first segment exists. */
    public boolean ready() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /**
     * Ends the stream: the store is ended (EXT-X-ENDLIST, TS readers finish) and the pipeline is
     * stopped (SIGTERM, SIGKILL after the grace period). Blocks until the process is reaped.
     * Idempotent.
     */
    public void stop(String reason) {
        Pipeline p;
        synchronized (lock) {
            if (terminal()) {
                return;
            }
            state = new StreamState.Stopped(reason);
            p = pipeline;
            store.end();
            ready.completeExceptionally(new StreamUnavailableException("stream_stopped",
                    "channel " + id() + " was stopped: " + reason));
        }
        log.info("channel {}: stopping ({})", id(), reason);
        onTerminal.accept(this);
        if (p != null) {
            p.stop(policy.stopGrace());
        }
    }

    /**
     * Kills the current pipeline if it stalled: no segment for three target durations, or, for
     * a pipeline that has not produced its first segment yet, none within {@code startTimeout}.
     * Its exit then goes through the usual restart decision. Returns whether it was killed.
     */
    boolean killIfStalled(Instant now, Duration startTimeout) {
        Pipeline p;
        String reason;
        synchronized (lock) {
            p = pipeline;
            if (p == null || !p.alive() || terminal()) {
                return false;
            }
            Instant since = segmentInRun ? store.lastSegmentAt() : p.startedAt();
            Duration limit = segmentInRun ? Duration.ofSeconds(3L * store.targetDuration()) : startTimeout;
            Duration quiet = Duration.between(since, now);
            if (quiet.compareTo(limit) <= 0) {
                return false;
            }
            reason = "stalled: no new segment for " + quiet.toSeconds() + " s";
            lastError = reason;
        }
        log.warn("channel {}: {}; killing pid {}", id(), reason, p.pid());
        p.kill();
        return true;
    }

    private void spawn() {
        segmentInRun = false;
        try {
            Pipeline[] self = new Pipeline[1];
            self[0] = launcher.launch(channel, store.newRun(policy.segmentSeconds()), exit -> exited(self[0], exit));
            pipeline = self[0];
        } catch (IOException e) {
            String reason = "cannot start ffmpeg: " + e.getMessage();
            scheduler.execute(() -> exited(null, new PipelineExit(-1, reason, false)));
        }
    }

    private void segmentClosed(Segment segment) {
        synchronized (lock) {
            if (!segmentInRun) {
                segmentInRun = true;
                consecutiveFailures = 0;
                if (!terminal()) {
                    state = new StreamState.Running();
                }
            }
        }
        ready.complete(null);
    }

    private void exited(Pipeline which, PipelineExit exit) {
        boolean end;
        synchronized (lock) {
            if (which != null && which != pipeline) {
                return;
            }
            if (terminal() || exit.requested()) {
                return;
            }
            lastError = exit.reason();
            if (!segmentInRun) {
                consecutiveFailures++;
            }
            log.warn("channel {}: pipeline ended (status {}): {}", id(), exit.exitCode(), exit.reason());
            boolean watched = viewers.get() > 0 || !channel.onDemand();
            if (!ready.isDone()) {
                state = new StreamState.Failed(exit.reason());
                ready.completeExceptionally(new StreamUnavailableException("source_failed",
                        "channel " + id() + " could not start: " + exit.reason()));
                end = true;
            } else if (watched && consecutiveFailures <= policy.restartAttempts()) {
                restarts++;
                state = new StreamState.Restarting(restarts, exit.reason());
                long delayMs = consecutiveFailures == 0 ? 0 : Math.min(5_000, 500L << consecutiveFailures);
                scheduler.schedule(this::relaunch, delayMs, TimeUnit.MILLISECONDS);
                end = false;
            } else {
                state = watched ? new StreamState.Failed(exit.reason())
                        : new StreamState.Stopped("pipeline ended with no viewers: " + exit.reason());
                end = true;
            }
            if (end) {
                store.end();
            }
        }
        if (end) {
            onTerminal.accept(this);
        }
    }

    private void relaunch() {
        synchronized (lock) {
            if (state instanceof StreamState.Restarting) {
                log.info("channel {}: restarting pipeline (restart {})", id(), restarts);
                spawn();
            }
        }
    }
}
