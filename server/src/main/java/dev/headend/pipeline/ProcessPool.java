package dev.headend.pipeline;

import dev.headend.media.TsSegmenter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way pipeline processes are spawned: caps how many run, how fast they start, and
 * refuses to start one when memory or file descriptors run short.
 *
 * <p>Invariants:
 * <ul>
 *   <li>every process it spawns carries the marker {@code HEADEND_PIPELINE_OWNER=owner};
 *   <li>a slot is taken under the lock, checked against the effective cap of fresh readings,
 *       before anything is spawned, and is given back exactly once: when the pipeline's exit is
 *       reported (before the caller's {@code onExit} runs), when the spawn is refused or fails, or
 *       when the audit finds the process gone;
 *   <li>the lock is never held while waiting for a spawn token or starting a process;
 *   <li>a refused spawn starts nothing, takes no token and is counted and logged with its code
 *       and readings;
 *   <li>the audit's scan for orphans never runs while a spawned process is not yet tracked, so
 *       it never kills one of the pool's own pipelines.
 * </ul>
 */
public final class ProcessPool {
    private static final Logger log = LoggerFactory.getLogger(ProcessPool.class);
    private static final long MIB = 1024 * 1024;
    /** How long the audit gives a dead pipeline to report its exit before it counts as vanished. */
    private static final Duration EXIT_REPORT_GRACE = Duration.ofSeconds(2);

    private final Limits limits;
    private final SystemProbe probe;
    private final Clock clock;
    private final String owner;
    private final TokenBucket tokens;
    private final ReentrantLock lock = new ReentrantLock();
    /** Spawns hold it shared from process start to tracking; the orphan scan holds it exclusively. */
    private final ReentrantReadWriteLock startGate = new ReentrantReadWriteLock(true);
    private final ReentrantLock auditLock = new ReentrantLock();
    private final Set<Slot> slots = new HashSet<>();
    private final Map<String, Long> refused = new TreeMap<>();
    private long spawned;
    private volatile AuditResult lastAudit;

    /**
     * Limits of the pool.
     *
     * @param maxProcesses the cap on processes, whatever the readings
     * @param spawnsPerSecond the sustained spawn rate
     * @param spawnBurst how many spawns may start at once after a quiet period
     * @param maxMemoryPercent memory use (1 − available / total) at or above which spawns are refused
     * @param minFreeFds free file descriptors below which spawns are refused
     * @param maxRateWait how long a spawn may wait for its token before it is refused
     * @param bytesPerProcess the memory one process is expected to take
     * @param fdsPerProcess the file descriptors one process takes in this server
     */
    public record Limits(int maxProcesses, double spawnsPerSecond, int spawnBurst, int maxMemoryPercent,
            int minFreeFds, Duration maxRateWait, long bytesPerProcess, int fdsPerProcess) {
        public Limits {
            if (maxProcesses < 0 || minFreeFds < 0 || maxRateWait.isNegative()) {
                throw new IllegalArgumentException("negative pool limit: max processes " + maxProcesses
                        + ", min free fds " + minFreeFds + ", max rate wait " + maxRateWait);
            }
            if (!(spawnsPerSecond > 0) || Double.isInfinite(spawnsPerSecond) || spawnBurst < 1) {
                throw new IllegalArgumentException("spawn rate and burst must be positive: " + spawnsPerSecond
                        + " per second, burst " + spawnBurst);
            }
            if (maxMemoryPercent < 1 || maxMemoryPercent > 100) {
                throw new IllegalArgumentException("memory percentage must be within 1..100: " + maxMemoryPercent);
            }
            if (bytesPerProcess < 1 || fdsPerProcess < 1) {
                throw new IllegalArgumentException("per-process costs must be positive: " + bytesPerProcess
                        + " bytes, " + fdsPerProcess + " fds");
            }
        }

        /**
         * 64 processes, 5 spawns per second in bursts of 5, 85 % memory, 100 free fds, a 2 s wait,
         * 64 MiB and 16 fds per process.
         */
        public static Limits defaults() {
            return new Limits(64, 5.0, 5, 85, 100, Duration.ofSeconds(2), 64 * MIB, 16);
        }
    }

    /**
     * @param owner the marker value of this server's pipelines (its absolute data directory)
     */
    public ProcessPool(Limits limits, SystemProbe probe, Clock clock, String owner) {
        this.limits = Objects.requireNonNull(limits);
        this.probe = Objects.requireNonNull(probe);
        this.clock = Objects.requireNonNull(clock);
        if (owner.isBlank()) {
            throw new IllegalArgumentException("the pool owner must not be blank");
        }
        this.owner = owner;
        this.tokens = new TokenBucket(limits.spawnsPerSecond(), limits.spawnBurst(), clock);
        SpawnRefusedException.CODES.forEach(code -> refused.put(code, 0L));
    }

    /**
     * Spawns through {@link Pipeline#start} after all checks: the memory and file descriptor
     * guards and the effective cap with fresh readings, then a spawn token, waiting for it up to
     * {@code maxRateWait}. The pool's marker is added to the environment.
     *
     * @throws SpawnRefusedException when a guard refuses; nothing was started
     * @throws IllegalArgumentException when the spec carries the marker of another owner
     * @throws InterruptedIOException when interrupted while waiting for a token
     * @throws IOException when the process cannot be spawned
     */
    public Pipeline spawn(Pipeline.Spec spec, TsSegmenter segmenter, Consumer<PipelineExit> onExit)
            throws SpawnRefusedException, IOException {
        Pipeline.Spec marked = marked(spec);
        Readings readings = Readings.of(probe);
        Slot slot = takeSlot(spec.channelId(), readings);
        boolean started = false;
        try {
            awaitToken(spec.channelId(), readings);
            Pipeline pipeline = start(slot, marked, segmenter, onExit);
            started = true;
            return pipeline;
        } finally {
            if (!started) {
                release(slot);
            }
        }
    }

    /** Slots in use: live pipelines plus spawns in progress. */
    public int running() {
        lock.lock();
        try {
            return slots.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many processes the pool allows with fresh readings: the smallest of {@code maxProcesses},
     * {@code live + memAvailable / bytesPerProcess} and
     * {@code live + (fdLimit − fdsInUse − minFreeFds) / fdsPerProcess}, at least 0, where
     * {@code live} counts started pipelines (spawns in progress have not used their share yet).
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

    /** Processes spawned so far; reads no system figure. */
    public long spawned() {
        lock.lock();
        try {
            return spawned;
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
            return new PoolStats(slots.size(), effectiveCap(readings), spawned, Map.copyOf(refused),
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
            AuditResult result = new AuditResult(orphans, vanished, clock.instant());
            lastAudit = result;
            if (orphans > 0 || vanished > 0) {
                log.warn("pool audit: killed {} orphaned process(es), removed {} vanished pipeline(s)", orphans,
                        vanished);
            } else {
                log.debug("pool audit: nothing to do, {} slot(s) in use", running());
            }
            return result;
        } finally {
            auditLock.unlock();
        }
    }

    private Pipeline.Spec marked(Pipeline.Spec spec) {
        String marker = spec.environment().get(OrphanReaper.MARKER);
        if (marker != null && !marker.equals(owner)) {
            throw new IllegalArgumentException("channel " + spec.channelId() + ": spec carries the marker of "
                    + marker + ", not of this pool's owner " + owner);
        }
        Map<String, String> environment = new HashMap<>(spec.environment());
        environment.put(OrphanReaper.MARKER, owner);
        return new Pipeline.Spec(spec.channelId(), spec.command(), spec.workDir(), Map.copyOf(environment));
    }

    private Slot takeSlot(String channelId, Readings readings) throws SpawnRefusedException {
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
            Slot slot = new Slot();
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

    private Pipeline start(Slot slot, Pipeline.Spec spec, TsSegmenter segmenter, Consumer<PipelineExit> onExit)
            throws IOException {
        startGate.readLock().lock();
        try {
            Pipeline pipeline = Pipeline.start(spec, segmenter, exit -> {
                release(slot);
                onExit.accept(exit);
            });
            lock.lock();
            try {
                spawned++;
                if (slots.contains(slot)) {
                    slot.pipeline = pipeline;
                }
            } finally {
                lock.unlock();
            }
            return pipeline;
        } finally {
            startGate.readLock().unlock();
        }
    }

    private boolean release(Slot slot) {
        lock.lock();
        try {
            return slots.remove(slot);
        } finally {
            lock.unlock();
        }
    }

    /** Requires the lock. */
    private int effectiveCap(Readings readings) {
        long live = slots.stream().filter(s -> s.pipeline != null).count();
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
        Map<Slot, Pipeline> suspects = new LinkedHashMap<>();
        lock.lock();
        try {
            for (Slot slot : slots) {
                Pipeline p = slot.pipeline;
                if (p != null && !p.alive() && !p.exit().isDone()) {
                    suspects.put(slot, p);
                }
            }
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + EXIT_REPORT_GRACE.toNanos();
        int removed = 0;
        for (Map.Entry<Slot, Pipeline> suspect : suspects.entrySet()) {
            Pipeline p = suspect.getValue();
            if (!exitReportedBy(p, deadline) && release(suspect.getKey())) {
                log.warn("pipeline pid {} is gone but its exit was never reported; removed from the pool", p.pid());
                removed++;
            }
        }
        return removed;
    }

    /** True when the exit is reported before the deadline, or when interrupted (then nothing is decided). */
    private static boolean exitReportedBy(Pipeline pipeline, long deadlineNanos) {
        try {
            pipeline.exit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
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
                tracked = slots.stream().filter(s -> s.pipeline != null).map(s -> s.pipeline.pid())
                        .collect(Collectors.toSet());
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

    /** One process's place in the pool; {@code pipeline} is set once started (guarded by the lock). */
    private static final class Slot {
        private Pipeline pipeline;
    }

    /** One set of probe readings, taken together. */
    private record Readings(long memTotal, long memAvailable, long fdLimit, long fdsInUse) {
        static Readings of(SystemProbe probe) {
            SystemProbe.Memory memory = probe.memory();
            return new Readings(memory.totalBytes(), memory.availableBytes(), probe.fdLimit(), probe.fdsInUse());
        }

        double memoryUsedPercent() {
            return 100.0 * (memTotal - memAvailable) / memTotal;
        }

        long freeFds() {
            return fdLimit - fdsInUse;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "memory %.1f%% used (%d of %d MiB available), %d of %d fds in use",
                    memoryUsedPercent(), memAvailable / MIB, memTotal / MIB, fdsInUse, fdLimit);
        }
    }
}
