package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.media.Segment;
import dev.headend.pipeline.ProcessExit;
import dev.headend.pipeline.ProgressStats;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.resilience.RestartCause;
import dev.headend.resilience.RestartDecision;
import dev.headend.resilience.RestartPolicy;
import dev.headend.stream.StreamCommand.Due;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one stream as a state machine: events in (a run's process started, produced a
 * segment, exited; a health check; a restart falling due; stop, operator restart,
 * reconfiguration), {@link StreamCommand}s out. It holds no thread, lock, process or clock:
 * every event brings the current moment, and its owner ({@link LiveStream}) delivers events one
 * at a time and carries out the commands. It asks the {@link RestartPolicy} when a restart may
 * happen.
 *
 * <p>Invariants: at most one live run and one replacement run exist; a replacement takes over
 * only once its first segment has closed (the store switches at that segment boundary), then
 * the old run is stopped; every restart after a failure is timed by the restart policy (a run
 * the spawn rate limiter refused is tried again shortly under the same decision), and the
 * slate shows until a new run is live; at most one replacement is pending at a time; once the
 * state is terminal no run is started again, the store is ended and {@link
 * StreamCommand.Ended} has been emitted exactly once.
 *
 * <p>The channel definition can change while the stream runs (configuration reload): each run
 * keeps the definition it was built from, new runs take the current one, and a live run whose
 * pipeline no longer matches the definition is replaced (see {@link #reconfigure}).
 */
final class StreamMachine {
    private static final Logger log = LoggerFactory.getLogger(StreamMachine.class);
    private static final HealthVerdict STARTING = new HealthVerdict(HealthStatus.UNHEALTHY, "starting: no segment yet");
    /** How soon a restart that the spawn rate limiter refused is tried again. */
    static final Duration RATE_LIMIT_RETRY = Duration.ofSeconds(1);

    /** The answer to an event that has one, and the commands the event produced. */
    record Outcome<T>(T answer, List<StreamCommand> commands) {}

    /**
     * The machine's state, as its owner publishes it after every event.
     *
     * @param liveRunId the live run, or -1 when none is
     * @param liveStartedAt when the live run started; null when none is
     * @param activeSourceIndex the index of the source the live run reads, in the definition that
     *     run was built from; with no live run, the index in the current definition of the source
     *     the next run reads
     * @param nextRestartAt when the pending restart is due, while restarting; null otherwise
     */
    record View(StreamState state, Channel channel, long liveRunId, Moment liveStartedAt, int activeSourceIndex,
            Source activeSource, int restarts, String lastError, HealthVerdict health, Moment nextRestartAt) {}

    private final String id;
    private final RestartPolicy policy;
    private final StreamSettings settings;
    private final HealthTracker healthTracker;
    private final List<StreamCommand> commands = new ArrayList<>();
    private Channel channel;
    private SourceSelector sources;
    private StreamState state = new StreamState.Starting();
    private Run live;
    private Run replacement;
    private boolean replacementPending;
    private boolean reconfigureFailed;
    /** The stream has had its first segment. */
    private boolean produced;
    /**
     * A viewer who takes the slate is waiting for the first segment: a failure before it is
     * retried behind the slate (by the restart policy, as after the first segment) instead of
     * failing the stream.
     */
    private boolean startCoveredBySlate;
    private String lastError;
    private int restarts;
    private HealthVerdict health = STARTING;
    private long nextRunId = 1;

    /** @param targetDuration the stream's playlist target duration in seconds (decided by its first segment) */
    StreamMachine(Channel channel, IntSupplier targetDuration, StreamSettings settings, RestartPolicy policy) {
        this.id = channel.id();
        this.channel = channel;
        this.settings = settings;
        this.policy = policy;
        this.sources = new SourceSelector(channel.sources().size(), settings.failover());
        this.healthTracker = new HealthTracker(targetDuration);
    }

    /** Starts the first run. Delivered once, by the manager that created the stream. */
    List<StreamCommand> launch(Moment now) {
        commands.clear();
        if (!terminal()) {
            policy.onAttempt(id);
            live = newRun(RunPurpose.LIVE, sources.current(), now);
        }
        return drain();
    }

    /**
     * Run {@code runId}'s process has started; one that arrives after its run was dropped, or
     * after the stream ended, is stopped at once.
     */
    List<StreamCommand> spawned(long runId) {
        commands.clear();
        Run r = find(runId);
        if (r != null && !terminal()) {
            r.spawned = true;
        } else {
            emit(new StreamCommand.Stop(runId, false));
        }
        return drain();
    }

    /**
     * Run {@code runId}'s process could not be started. A refusal by the spawn rate limiter is
     * no failure of the channel (see {@link #rateLimited}); any other is like an exit, and when
     * a pool guard refused it ({@code refusedCode}) the restart policy is told so.
     */
    List<StreamCommand> spawnFailed(long runId, String reason, Optional<String> refusedCode, int viewers,
            Moment now) {
        commands.clear();
        Run r = find(runId);
        if (refusedCode.filter(SpawnRefusedException.SPAWN_RATE_LIMITED::equals).isPresent()) {
            rateLimited(r, reason, viewers, now);
            return drain();
        }
        if (r != null && refusedCode.isPresent()) {
            r.exitCause = RestartCause.SPAWN_REFUSED;
        }
        onExit(r, new ProcessExit(-1, reason, false), refusedCode, viewers, now);
        return drain();
    }

    /** A segment of run {@code runId} closed: a first segment makes the run live. */
    List<StreamCommand> segmentClosed(long runId, Segment segment, Moment now) {
        commands.clear();
        if (terminal()) {
            return drain();
        }
        if (replacement != null && replacement.id == runId) {
            takeOver(segment, now);
        } else if (live != null && live.id == runId && live.producingSince == null) {
            firstSegment(segment, now);
        }
        return drain();
    }

    /**
     * Run {@code runId}'s output cannot be segmented within the target duration (the store
     * refused it, see {@link dev.headend.media.SegmentStore#newRun}): its process is killed, and
     * its exit is judged like any other, with {@code reason} as the error.
     */
    List<StreamCommand> unfit(long runId, String reason) {
        commands.clear();
        Run r = find(runId);
        if (r != null && !terminal()) {
            kill(r, reason, RestartCause.UNHEALTHY);
        }
        return drain();
    }

    /**
     * Run {@code runId}'s process ended.
     *
     * @param viewers the stream's viewers now: an on-demand stream nobody watches is not restarted
     */
    List<StreamCommand> exited(long runId, ProcessExit exit, int viewers, Moment now) {
        commands.clear();
        onExit(find(runId), exit, Optional.empty(), viewers, now);
        return drain();
    }

    /**
     * The periodic check (about every half second): health, stall, replacement of a run built
     * from an older definition, long-run replacement and failback to the first source.
     *
     * @param progress the live run's latest progress figures
     * @param lastSegmentAt when the stream's newest segment closed
     */
    List<StreamCommand> tick(ProgressStats progress, Moment lastSegmentAt, Moment now) {
        commands.clear();
        Run r = live;
        if (terminal() || !(state instanceof StreamState.Running) || r == null || r.producingSince == null) {
            return drain();
        }
        HealthTracker.Evaluation e = healthTracker.evaluate(now, progress, lastSegmentAt, r.producingSince);
        health = e.verdict();
        if (e.stall().isPresent()) {
            kill(r, e.stall().get().reason(), e.stall().get().cause());
        } else if (replacement == null) {
            if (!r.channel.samePipeline(channel)) {
                swapIfStale(now);
            } else if (r.startedAt.until(now).compareTo(settings.maxProcessAge()) > 0) {
                log.info("channel {}: run {} reached the long-run limit, replacing it", id, r.id);
                requestReplacement(RunPurpose.LONG_RUN, r.sourceIndex, RestartCause.OPERATOR, now);
            } else if (sources.failbackDue(now)) {
                log.info("channel {}: trying the first source again", id);
                requestReplacement(RunPurpose.FAILBACK, 0, RestartCause.OPERATOR, now);
            }
        }
        return drain();
    }

    /** Something the machine scheduled is due. */
    List<StreamCommand> due(Due due, Moment now) {
        commands.clear();
        switch (due) {
            case StreamCommand.RestartDue r -> relaunch(now);
            case StreamCommand.ReplacementDue r -> startReplacement(r.purpose(), r.sourceIndex(), now);
        }
        return drain();
    }

    /**
     * A viewer who takes the slate while the channel cannot start is waiting (a continuous-TS
     * viewer, by default): from now on, until the first segment, a failed start is retried behind
     * the slate, as a failure after the first segment would be.
     */
    List<StreamCommand> coverStartWithSlate() {
        commands.clear();
        startCoveredBySlate = true;
        return drain();
    }

    /**
     * Ends the stream: the store ends (EXT-X-ENDLIST, TS readers finish) and its runs' processes
     * are stopped, waited for. Idempotent.
     */
    List<StreamCommand> stop(String reason) {
        commands.clear();
        if (terminal()) {
            return drain();
        }
        state = new StreamState.Stopped(reason);
        log.info("channel {}: stopping ({})", id, reason);
        emit(new StreamCommand.EndStore());
        emit(new StreamCommand.Unavailable("stream_stopped", "channel " + id + " was stopped: " + reason));
        emit(new StreamCommand.HideSlate());
        emit(new StreamCommand.Ended());
        if (replacement != null) {
            emit(new StreamCommand.Stop(replacement.id, true));
        }
        if (live != null) {
            emit(new StreamCommand.Stop(live.id, true));
        }
        return drain();
    }

    /**
     * Operator restart: a new run is started beside the live one and takes over at a segment
     * boundary once it produces (no gap, no slate), when the restart policy allows.
     *
     * @return the decision, or empty when the stream cannot be restarted now (it is not running,
     *     or a replacement is already under way)
     */
    Outcome<Optional<RestartDecision>> restart(Moment now) {
        commands.clear();
        Optional<RestartDecision> d = requestReplacement(RunPurpose.OPERATOR, activeSourceIndex(),
                RestartCause.OPERATOR, now);
        return new Outcome<>(d, drain());
    }

    /**
     * Adopts a new definition of the channel (same id), from a configuration reload. Names,
     * policies and the slate take effect at once and every run started from now on is built
     * from it. When the live run's pipeline no longer matches it ({@link Channel#samePipeline}),
     * that run is replaced: a replacement built from the new definition is started beside it
     * (through the restart policy, cooldown waived) and takes over at a segment boundary, with
     * no gap and no slate; a stream still starting is swapped once it runs. A replacement that
     * fails leaves the old run playing and is tried again after the cooldown, as a failure for
     * the circuit breaker. A new source list restarts failover from its first source.
     *
     * @return whether the live run is to be replaced
     */
    Outcome<Boolean> reconfigure(Channel next, Moment now) {
        if (!next.id().equals(id)) {
            throw new IllegalArgumentException("channel " + next.id() + " is not " + id);
        }
        commands.clear();
        if (terminal()) {
            return new Outcome<>(false, drain());
        }
        if (!channel.sources().equals(next.sources())) {
            sources = new SourceSelector(next.sources().size(), settings.failover());
        }
        channel = next;
        reconfigureFailed = false;
        boolean swap = live != null && !live.channel.samePipeline(next);
        if (swap) {
            log.info("channel {}: definition changed; replacing run {}", id, live.id);
            swapIfStale(now);
        }
        return new Outcome<>(swap, drain());
    }

    /**
     * Kills the live run if it made no first segment within {@code startTimeout} of its start.
     * A run that has produced is judged by {@link #tick}.
     *
     * @return whether it was killed
     */
    Outcome<Boolean> checkStartTimeout(Duration startTimeout, Moment now) {
        commands.clear();
        Run r = live;
        if (r == null || r.producingSince != null || !r.alive() || terminal()) {
            return new Outcome<>(false, drain());
        }
        Duration quiet = r.startedAt.until(now);
        if (quiet.compareTo(startTimeout) <= 0) {
            return new Outcome<>(false, drain());
        }
        kill(r, "stalled: no first segment " + quiet.toSeconds() + " s after the start", RestartCause.STALL);
        return new Outcome<>(true, drain());
    }

    View view() {
        Run r = live;
        Moment restartAt = state instanceof StreamState.Restarting restarting ? restarting.at() : null;
        return new View(state, channel, r == null ? -1 : r.id, r == null ? null : r.startedAt, activeSourceIndex(),
                r == null ? channel.sources().get(sources.current()) : r.source(), restarts, lastError,
                shownHealth(), restartAt);
    }

    /** The live run's id, or -1. */
    long liveRunId() {
        return live == null ? -1 : live.id;
    }

    boolean terminal() {
        return StreamState.terminal(state);
    }

    private HealthVerdict shownHealth() {
        return switch (state) {
            case StreamState.Restarting r -> new HealthVerdict(HealthStatus.FAILED, r.reason());
            case StreamState.Failed f -> new HealthVerdict(HealthStatus.FAILED, f.reason());
            case StreamState.Stopped s -> new HealthVerdict(HealthStatus.FAILED, "stopped: " + s.reason());
            case StreamState.Starting s -> health;
            case StreamState.Running r -> health;
        };
    }

    private int activeSourceIndex() {
        return live == null ? sources.current() : live.sourceIndex;
    }

    private void firstSegment(Segment segment, Moment now) {
        live.producingSince = now;
        healthTracker.reset();
        state = new StreamState.Running();
        health = HealthVerdict.HEALTHY;
        policy.onSuccess(id);
        if (readsCurrentSources(live)) {
            sources.producing(live.sourceIndex, now);
        }
        emit(new StreamCommand.HideSlate());
        if (!produced) {
            produced = true;
            emit(new StreamCommand.Ready());
        }
        // a run became live: the slate is made (or kept, when it still fits) for its definition and format
        emit(new StreamCommand.PrepareSlate(channel, segment));
    }

    private void takeOver(Segment segment, Moment now) {
        Run retiring = live;
        Run r = replacement;
        live = r;
        replacement = null;
        r.producingSince = now;
        healthTracker.reset();
        if (r.purpose == RunPurpose.FAILBACK && readsCurrentSources(r)) {
            sources.returnedToFirst(now);
        } else if (r.purpose == RunPurpose.RECONFIGURE) {
            reconfigureFailed = false;
        }
        if (state instanceof StreamState.Restarting) {
            state = new StreamState.Running();
            policy.onSuccess(id);
            emit(new StreamCommand.HideSlate());
        }
        log.info("channel {}: replacement run {} took over ({})", id, r.id, r.purpose.label());
        emit(new StreamCommand.PrepareSlate(channel, segment));
        if (retiring != null) {
            emit(new StreamCommand.Stop(retiring.id, false));
        }
    }

    private void onExit(Run r, ProcessExit exit, Optional<String> refusedCode, int viewers, Moment now) {
        if (r != null) {
            r.exited = true;
        }
        if (r == null || terminal() || exit.requested()) {
            return;
        }
        if (r == replacement) {
            replacement = null;
            lastError = "replacement pipeline failed: " + exit.reason();
            log.warn("channel {}: {}", id, lastError);
            if (r.purpose == RunPurpose.FAILBACK && readsCurrentSources(r)) {
                sources.failbackFailed(now);
            } else if (r.purpose == RunPurpose.RECONFIGURE) {
                reconfigureFailed = true;
            }
            return;
        }
        if (r != live) {
            return;
        }
        boolean stopped = r.exitCause == RestartCause.STALL || r.exitCause == RestartCause.UNHEALTHY;
        String reason = stopped ? lastError + " (then " + exit.reason() + ")" : exit.reason();
        lastError = reason;
        log.warn("channel {}: run {} ended (status {}): {}", id, r.id, exit.exitCode(), reason);
        if (!produced) {
            if (!readsCurrentSources(r) || !r.channel.samePipeline(channel) || sources.failedAtStart(r.sourceIndex)) {
                log.warn("channel {}: source {} failed at start, trying source {}{}", id, r.sourceIndex,
                        sources.current(), r.channel == channel ? "" : " of the new definition");
                live = newRun(RunPurpose.LIVE, sources.current(), now);
                return;
            }
        } else if (readsCurrentSources(r) && sources.failed(r.sourceIndex, now)) {
            log.warn("channel {}: source {} failed repeatedly, moving to source {}", id, r.sourceIndex,
                    sources.current());
        }
        Duration healthy = r.producingSince == null ? Duration.ZERO : r.producingSince.until(now);
        boolean watched = viewers > 0 || !channel.onDemand();
        if (!produced && !(startCoveredBySlate && watched)) {
            policy.recordFailure(id, reason);
            state = new StreamState.Failed(reason);
            emit(new StreamCommand.Unavailable(refusedCode.orElse("source_failed"),
                    "channel " + id + " could not start: " + reason));
            end();
        } else if (!watched) {
            state = new StreamState.Stopped("pipeline ended with no viewers: " + reason);
            end();
        } else {
            RestartDecision d = policy.decide(id, r.exitCause, healthy, reason);
            restarts++;
            state = new StreamState.Restarting(reason, d.at());
            live = null;
            emit(new StreamCommand.ShowSlate());
            emit(new StreamCommand.Schedule(d.at(), new StreamCommand.RestartDue()));
        }
    }

    /**
     * The spawn rate limiter refused run {@code r} (no token within the pool's wait): a burst of
     * starts, not a failure of the channel, so neither the circuit breaker, the cooldown nor the
     * source failover hears of it. A first start ends at once with the limiter's code (the
     * caller may try again); a restart stays pending and is tried again after {@link
     * #RATE_LIMIT_RETRY}, with the slate still showing; so is a replacement, beside the live
     * run. Neither is decided anew by the policy: the decision that scheduled it stands.
     */
    private void rateLimited(Run r, String reason, int viewers, Moment now) {
        if (r != null) {
            r.exited = true;
        }
        if (r == null || terminal()) {
            return;
        }
        lastError = reason;
        log.warn("channel {}: run {} not started: {}", id, r.id, reason);
        Moment retry = now.plus(RATE_LIMIT_RETRY);
        if (r == replacement) {
            replacement = null;
            replacementPending = true;
            emit(new StreamCommand.Schedule(retry, new StreamCommand.ReplacementDue(r.purpose, r.sourceIndex)));
        } else if (r != live) {
            return;
        } else if (!produced) {
            state = new StreamState.Failed(reason);
            emit(new StreamCommand.Unavailable(SpawnRefusedException.SPAWN_RATE_LIMITED,
                    "channel " + id + " could not start: " + reason));
            end();
        } else if (viewers == 0 && channel.onDemand()) {
            state = new StreamState.Stopped("pipeline not restarted with no viewers: " + reason);
            end();
        } else {
            live = null;
            state = new StreamState.Restarting(reason, retry);
            emit(new StreamCommand.Schedule(retry, new StreamCommand.RestartDue()));
        }
    }

    private void end() {
        emit(new StreamCommand.EndStore());
        emit(new StreamCommand.HideSlate());
        emit(new StreamCommand.Ended());
    }

    private void relaunch(Moment now) {
        if (!(state instanceof StreamState.Restarting) || live != null) {
            return;
        }
        log.info("channel {}: restarting the pipeline (restart {}, source {})", id, restarts, sources.current());
        policy.onAttempt(id);
        live = newRun(RunPurpose.LIVE, sources.current(), now);
    }

    /**
     * Replaces the live run when it was built from an older definition of the channel and is
     * producing; the first try is a configuration change, a try after a failed replacement is a
     * failure (cooldown, circuit breaker).
     */
    private void swapIfStale(Moment now) {
        Run r = live;
        if (r != null && r.producingSince != null && !r.channel.samePipeline(channel)) {
            requestReplacement(RunPurpose.RECONFIGURE, sources.current(),
                    reconfigureFailed ? RestartCause.REPLACEMENT_FAILED : RestartCause.CONFIG_CHANGE, now);
        }
    }

    /**
     * Asks the restart policy for a slot and schedules a replacement run for it. Empty when the
     * stream is not running or a replacement is under way.
     */
    private Optional<RestartDecision> requestReplacement(RunPurpose purpose, int sourceIndex, RestartCause cause,
            Moment now) {
        if (!(state instanceof StreamState.Running) || replacement != null || replacementPending) {
            return Optional.empty();
        }
        replacementPending = true;
        RestartDecision d = policy.decide(id, cause, Duration.ZERO, "hot swap: " + purpose.label());
        emit(new StreamCommand.Schedule(d.at(), new StreamCommand.ReplacementDue(purpose, sourceIndex)));
        return Optional.of(d);
    }

    private void startReplacement(RunPurpose purpose, int sourceIndex, Moment now) {
        replacementPending = false;
        boolean current = purpose == RunPurpose.RECONFIGURE && live != null && live.channel.samePipeline(channel);
        if (!(state instanceof StreamState.Running) || replacement != null || current) {
            return;
        }
        replacement = newRun(purpose, Math.min(sourceIndex, channel.sources().size() - 1), now);
    }

    private void kill(Run r, String reason, RestartCause cause) {
        if (!r.alive()) {
            return;
        }
        r.exitCause = cause;
        lastError = reason;
        log.warn("channel {}: {}; killing run {}", id, reason, r.id);
        emit(new StreamCommand.Kill(r.id));
    }

    /** A new run of the current definition; its process is to be started. */
    private Run newRun(RunPurpose purpose, int sourceIndex, Moment now) {
        Run r = new Run(nextRunId++, purpose, channel, sourceIndex, now);
        emit(new StreamCommand.Spawn(r.id, r.channel, r.source()));
        return r;
    }

    /** True when the run reads from the channel's current source list (its index means the same there). */
    private boolean readsCurrentSources(Run r) {
        return r.channel.sources().equals(channel.sources());
    }

    /** The live or replacement run with this id, or null when it is neither (any more). */
    private Run find(long runId) {
        if (live != null && live.id == runId) {
            return live;
        }
        return replacement != null && replacement.id == runId ? replacement : null;
    }

    private void emit(StreamCommand c) {
        commands.add(c);
    }

    private List<StreamCommand> drain() {
        List<StreamCommand> out = List.copyOf(commands);
        commands.clear();
        return out;
    }
}
