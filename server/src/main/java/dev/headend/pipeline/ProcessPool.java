package dev.headend.pipeline;

import dev.headend.time.TimeSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way the server starts child processes: pipeline processes ({@link #spawn}) and
 * short tool runs such as slate encodes and probes ({@link #run}). It caps how many run, how
 * fast pipelines start, and refuses to start one when memory or file descriptors run short.
 *
 * <p>Invariants:
 * <ul>
 *   <li>every process it starts leads its own process group, reads {@code /dev/null} and carries
 *       the marker {@code HEADEND_PIPELINE_OWNER=owner}, so one left behind by a server that died
 *       is found and ended;
 *   <li>a slot is taken under the lock, checked against the effective cap of fresh readings,
 *       before anything is started, and is given back exactly once: when a pipeline's exit is
 *       reported (before the caller's {@code onExit} runs), when a tool run has ended, when the
 *       start is refused or fails, or when the audit finds a pipeline process gone;
 *   <li>pipelines also need a spawn token (the rate limit against restart storms); tool runs do
 *       not, since their callers bound them (at most two slate encodes at once, server-wide);
 *   <li>the lock is never held while waiting for a spawn token, starting or running a process;
 *   <li>a refused start starts nothing, takes no token and is counted and logged with its code
 *       and readings; a spawn its caller no longer wants once its token is there starts nothing;
 *   <li>the audit's scan for orphans never runs while a started process is not yet tracked, so
 *       it never kills one of the pool's own processes.
 * </ul>
 */
public final class ProcessPool implements ToolRunner {
    private static final Logger log = LoggerFactory.getLogger(ProcessPool.class);
    /** How long the audit gives a dead pipeline to report its exit before it counts as vanished. */
    private static final Duration EXIT_REPORT_GRACE = Duration.ofSeconds(2);

    private final PoolLimits limits;
    private final SystemProbe probe;
    private final TimeSource time;
    private final String owner;
    private final TokenBucket tokens;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a slot is given back. */
    private final Condition released = lock.newCondition();
    /** Spawns hold it shared from process start to tracking; the orphan scan holds it exclusively. */
    private final ReentrantReadWriteLock startGate = new ReentrantReadWriteLock(true);
    private final ReentrantLock auditLock = new ReentrantLock();
    private final Set<Slot> slots = new HashSet<>();
    private final Map<String, Long> refused = new TreeMap<>();
    private long spawned;
    private long toolRuns;
    /** Set once, under the start gate's write lock: from then on nothing starts. */
    private volatile boolean shutDown;
    private volatile AuditResult lastAudit;


    /**
     * @param time the monotonic clock of the spawn rate limit, and the date of audits
     * @param owner the marker value of this server's processes (its absolute data directory)
     */
    public ProcessPool(PoolLimits limits, SystemProbe probe, TimeSource time, String owner) {
        this.limits = Objects.requireNonNull(limits);
        this.probe = Objects.requireNonNull(probe);
        this.time = Objects.requireNonNull(time);
        if (owner.isBlank()) {
            throw new IllegalArgumentException("the pool owner must not be blank");
        }
        this.owner = owner;
        this.tokens = new TokenBucket(limits.spawnsPerSecond(), limits.spawnBurst(), time);
        SpawnRefusedException.CODES.forEach(code -> refused.put(code, 0L));
    }

    /**
     * Starts a pipeline process after all checks: the memory and file descriptor guards and the
     * effective cap with fresh readings, then a spawn token, waiting for it up to {@code
     * maxRateWait}. The pool's marker is added to the environment.
     *
     * @param output receives the process's standard output
     * @param onExit told once, right after the process ended and its slot was given back
     * @throws SpawnRefusedException when a guard refuses; nothing was started
     * @throws IllegalArgumentException when the spec carries the marker of another owner
     * @throws InterruptedIOException when interrupted while waiting for a token
     * @throws IOException when the process cannot be spawned
     */
    public PipelineProcess spawn(ProcessSpec spec, ByteSink output, Consumer<ProcessExit> onExit)
            throws SpawnRefusedException, IOException {
        return spawn(spec, output, onExit, () -> true);
    }

    /**
     * {@link #spawn(ProcessSpec, ByteSink, Consumer)} for a caller whose need may end while the
     * spawn waits for its token (a stream stopped meanwhile): {@code wanted} is asked once the
     * token is there, and false starts nothing and gives the slot back (the token is spent).
     *
     * @throws IOException also when the spawn was no longer wanted
     */
    public PipelineProcess spawn(ProcessSpec spec, ByteSink output, Consumer<ProcessExit> onExit,
            BooleanSupplier wanted) throws SpawnRefusedException, IOException {
        ProcessSpec marked = marked(spec);
        Readings readings = Readings.of(probe);
        Slot slot = takeSlot(spec.name(), readings, false);
        boolean started = false;
        try {
            awaitToken(spec.name(), readings);
            if (!wanted.getAsBoolean()) {
                log.info("channel {}: spawn abandoned, no longer wanted once its token was there", spec.name());
                throw new IOException(spec.name() + ": not started, no longer wanted");
            }
            PipelineProcess process = start(slot, marked, output, onExit);
            started = true;
            return process;
        } finally {
            if (!started) {
                release(slot);
            }
        }
    }

    /**
     * Runs a tool to completion in a slot of the pool (the guards and the cap apply; no spawn
     * token is needed). A refusal is an {@link IOException} whose cause is the {@link
     * SpawnRefusedException}.
     */
    @Override
    public void run(ProcessSpec spec, Output output) throws IOException, InterruptedException {
        ProcessSpec marked = marked(spec);
        Slot slot;
        try {
            slot = takeSlot(spec.name(), Readings.of(probe), true);
        } catch (SpawnRefusedException e) {
            throw new IOException(spec.command().getFirst() + " was not started: " + e.getMessage(), e);
        }
        try {
            Process process;
            startGate.readLock().lock();
            try {
                refuseWhenShutDown(spec);
                process = ChildProcesses.start(marked);
                lock.lock();
                try {
                    toolRuns++;
                    slot.pid = process.pid();
                } finally {
                    lock.unlock();
                }
            } finally {
                startGate.readLock().unlock();
            }
            ToolRun.complete(spec.command().getFirst(), process, output);
        } finally {
            release(slot);
        }
    }

    /** Pipeline processes running, plus pipeline spawns in progress. */
    public int running() {
        lock.lock();
        try {
            return (int) slots.stream().filter(s -> !s.tool).count();
        } finally {
            lock.unlock();
        }
    }

    /** Tool runs in progress. */
    public int toolsRunning() {
        lock.lock();
        try {
            return (int) slots.stream().filter(s -> s.tool).count();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many processes the pool allows with fresh readings: the smallest of {@code maxProcesses},
     * {@code live + memAvailable / bytesPerProcess} and
     * {@code live + (fdLimit − fdsInUse − minFreeFds) / fdsPerProcess}, at least 0, where
     * {@code live} counts started processes (starts in progress have not used their share yet).
     */
    public int effectiveCap() {
        Readings readings = Readings.of(probe);
        lock.lock();
        try {
            return effectiveCap(readings);
        } finally {
            lock.unlock();
        }
    }

    /** Pipeline processes spawned so far; reads no system figure. */
    public long spawned() {
        lock.lock();
        try {
            return spawned;
        } finally {
            lock.unlock();
        }
    }

    /** Tool runs started so far; reads no system figure. */
    public long toolRuns() {
        lock.lock();
        try {
            return toolRuns;
        } finally {
            lock.unlock();
        }
    }

    /** Spawns refused so far with {@code code} (0 for an unknown code); reads no system figure. */
    public long refused(String code) {
        lock.lock();
        try {
            return refused.getOrDefault(code, 0L);
        } finally {
            lock.unlock();
        }
    }

    public PoolStats stats() {
        Readings readings = Readings.of(probe);
        lock.lock();
        try {
            int tools = (int) slots.stream().filter(s -> s.tool).count();
            return new PoolStats(slots.size() - tools, tools, effectiveCap(readings), spawned, toolRuns,
                    Map.copyOf(refused),
                    Optional.ofNullable(lastAudit));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks the pool against the system: tracked pipelines whose process is gone without its
     * exit being reported (within a grace period) are dropped and their slots freed; then live
     * processes carrying this server's marker that the pool does not track are killed.
     */
    public AuditResult audit() {
        auditLock.lock();
        try {
            int vanished = removeVanished();
            int orphans = killOrphans();
            AuditResult result = new AuditResult(orphans, vanished, time.wallClock());
            lastAudit = result;
            if (orphans > 0 || vanished > 0) {
                log.warn("pool audit: killed {} orphaned process(es), removed {} vanished pipeline(s)", orphans,
                        vanished);
            } else {
                log.debug("pool audit: nothing to do, {} pipeline(s) and {} tool run(s)", running(), toolsRunning());
            }
            return result;
        } finally {
            auditLock.unlock();
        }
    }

    private ProcessSpec marked(ProcessSpec spec) {
        String marker = spec.environment().get(OrphanReaper.MARKER);
        if (marker != null && !marker.equals(owner)) {
            throw new IllegalArgumentException(spec.name() + ": spec carries the marker of "
                    + marker + ", not of this pool's owner " + owner);
        }
        Map<String, String> environment = new HashMap<>(spec.environment());
        environment.put(OrphanReaper.MARKER, owner);
        return new ProcessSpec(spec.name(), spec.command(), spec.workDir(), environment, spec.stdin());
    }

    private Slot takeSlot(String channelId, Readings readings, boolean tool) throws SpawnRefusedException {
        if (readings.memoryUsedPercent() >= limits.maxMemoryPercent()) {
            throw refuse(SpawnRefusedException.MEMORY_GUARD, channelId, readings, String.format(Locale.ROOT,
                    "memory use %.1f%% is at or above %d%%", readings.memoryUsedPercent(), limits.maxMemoryPercent()));
        }
        if (readings.freeFds() < limits.minFreeFds()) {
            throw refuse(SpawnRefusedException.FD_GUARD, channelId, readings,
                    readings.freeFds() + " free file descriptors, fewer than " + limits.minFreeFds());
        }
        lock.lock();
        try {
            int cap = effectiveCap(readings);
            if (slots.size() >= cap) {
                throw refuse(SpawnRefusedException.PROCESS_LIMIT, channelId, readings,
                        slots.size() + " processes reached the effective cap of " + cap);
            }
            Slot slot = new Slot(tool);
            slots.add(slot);
            return slot;
        } finally {
            lock.unlock();
        }
    }

    private void awaitToken(String channelId, Readings readings) throws SpawnRefusedException, IOException {
        Optional<Duration> wait = tokens.reserve(limits.maxRateWait());
        if (wait.isEmpty()) {
            throw refuse(SpawnRefusedException.SPAWN_RATE_LIMITED, channelId, readings,
                    "no spawn token within " + limits.maxRateWait().toMillis() + " ms (" + limits.spawnsPerSecond()
                            + " per second, burst " + limits.spawnBurst() + ")");
        }
        if (!wait.get().isZero()) {
            try {
                Thread.sleep(wait.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("channel " + channelId + ": interrupted waiting for a spawn token");
            }
        }
    }

    private PipelineProcess start(Slot slot, ProcessSpec spec, ByteSink output, Consumer<ProcessExit> onExit)
            throws IOException {
        startGate.readLock().lock();
        try {
            refuseWhenShutDown(spec);
            FfmpegProcess process = FfmpegProcess.start(spec, output, exit -> {
                release(slot);
                onExit.accept(exit);
            });
            lock.lock();
            try {
                spawned++;
                if (slots.contains(slot)) {
                    slot.pipeline = process;
                    slot.pid = process.pid();
                }
            } finally {
                lock.unlock();
            }
            return process;
        } finally {
            startGate.readLock().unlock();
        }
    }

    private boolean release(Slot slot) {
        lock.lock();
        try {
            released.signalAll();
            return slots.remove(slot);
        } finally {
            lock.unlock();
        }
    }

    private void refuseWhenShutDown(ProcessSpec spec) throws IOException {
        if (shutDown) {
            throw new IOException(spec.name() + ": not started, the server is stopping");
        }
    }

    /**
     * Starts nothing more and ends what still runs (the tool runs in flight: the streams have
     * stopped their pipelines by then) with SIGKILL to their process groups, then waits up to
     * {@code limit} for every slot to be given back. Returns how many processes it ended.
     */
    public int shutdown(Duration limit) throws InterruptedException {
        List<Long> running;
        startGate.writeLock().lock();
        try {
            shutDown = true;
            lock.lock();
            try {
                running = slots.stream().filter(s -> s.pid > 0).map(s -> s.pid).toList();
            } finally {
                lock.unlock();
            }
        } finally {
            startGate.writeLock().unlock();
        }
        running.forEach(ProcessGroups::kill);
        long deadline = System.nanoTime() + limit.toNanos();
        lock.lock();
        try {
            while (!slots.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("{} process slot(s) still taken after {} ms of shutdown", slots.size(), limit.toMillis());
                    break;
                }
                released.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        if (!running.isEmpty()) {
            log.info("shutdown: ended {} process(es) still running", running.size());
        }
        return running.size();
    }

    /** Requires the lock. */
    private int effectiveCap(Readings readings) {
        long live = slots.stream().filter(s -> s.pid > 0).count();
        long byMemory = live + readings.memAvailable() / limits.bytesPerProcess();
        long byFds = live + Math.floorDiv(readings.freeFds() - limits.minFreeFds(), limits.fdsPerProcess());
        return (int) Math.max(0, Math.min(limits.maxProcesses(), Math.min(byMemory, byFds)));
    }

    private SpawnRefusedException refuse(String code, String channelId, Readings readings, String reason) {
        lock.lock();
        try {
            refused.merge(code, 1L, Long::sum);
            String message = "channel " + channelId + ": " + reason;
            log.warn("spawn refused ({}): {}; {}, {} slot(s) in use, effective cap {}", code, message, readings,
                    slots.size(), effectiveCap(readings));
            return new SpawnRefusedException(code, message);
        } finally {
            lock.unlock();
        }
    }

    private int removeVanished() {
        Map<Slot, FfmpegProcess> suspects = new LinkedHashMap<>();
        lock.lock();
        try {
            for (Slot slot : slots) {
                FfmpegProcess p = slot.pipeline;
                if (p != null && !p.alive() && !p.exit().isDone()) {
                    suspects.put(slot, p);
                }
            }
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + EXIT_REPORT_GRACE.toNanos();
        int removed = 0;
        for (Map.Entry<Slot, FfmpegProcess> suspect : suspects.entrySet()) {
            FfmpegProcess p = suspect.getValue();
            if (!exitReportedBy(p, deadline) && release(suspect.getKey())) {
                log.warn("pipeline pid {} is gone but its exit was never reported; removed from the pool", p.pid());
                removed++;
            }
        }
        return removed;
    }

    /** True when the exit is reported before the deadline, or when interrupted (then nothing is decided). */
    private static boolean exitReportedBy(FfmpegProcess process, long deadlineNanos) {
        try {
            process.exit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private int killOrphans() {
        List<Long> marked;
        Set<Long> tracked;
        startGate.writeLock().lock();
        try {
            marked = OrphanReaper.find(owner);
            lock.lock();
            try {
                tracked = slots.stream().filter(s -> s.pid > 0).map(s -> s.pid).collect(Collectors.toSet());
            } finally {
                lock.unlock();
            }
        } finally {
            startGate.writeLock().unlock();
        }
        int killed = 0;
        for (long pid : marked) {
            if (!tracked.contains(pid) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                log.warn("process {} carries this server's marker but is not tracked by the pool; killing it", pid);
                ProcessGroups.kill(pid);
                killed++;
            }
        }
        return killed;
    }

    /**
     * One process's place in the pool: whether it is a tool run, its pid once started, and for a
     * pipeline its process (both guarded by the lock; 0 and null before the start).
     */
    private static final class Slot {
        private final boolean tool;
        private long pid;
        private FfmpegProcess pipeline;

        Slot(boolean tool) {
            this.tool = tool;
        }
    }
}
