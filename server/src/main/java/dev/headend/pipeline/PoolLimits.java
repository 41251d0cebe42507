package dev.headend.pipeline;

import java.time.Duration;

/**
 * Limits of the {@link ProcessPool}.
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
public record PoolLimits(int maxProcesses, double spawnsPerSecond, int spawnBurst, int maxMemoryPercent,
        int minFreeFds, Duration maxRateWait, long bytesPerProcess, int fdsPerProcess) {
    public PoolLimits {
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

    /** How long a spawn may wait for a rate-limit token before it is refused. */
    public static final Duration TOKEN_WAIT = Duration.ofSeconds(2);
    /** Memory set aside per process when deriving the cap from free memory. */
    public static final long BYTES_PER_PROCESS = 64L << 20;
    /** File descriptors one process takes in this server (its pipes). */
    public static final int FDS_PER_PROCESS = 16;

    /**
     * The configurable limits, with bursts as large as the rate, {@link #TOKEN_WAIT}, {@link
     * #BYTES_PER_PROCESS} and {@link #FDS_PER_PROCESS}.
     */
    public static PoolLimits of(int maxProcesses, int spawnsPerSecond, int maxMemoryPercent, int minFreeFds) {
        return new PoolLimits(maxProcesses, spawnsPerSecond, spawnsPerSecond, maxMemoryPercent, minFreeFds, TOKEN_WAIT,
                BYTES_PER_PROCESS, FDS_PER_PROCESS);
    }

    /** 64 processes, 5 spawns per second in bursts of 5, 85 % memory, 100 free fds. */
    public static PoolLimits defaults() {
        return of(64, 5, 85, 100);
    }
}
