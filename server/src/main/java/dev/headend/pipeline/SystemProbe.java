package dev.headend.pipeline;

import java.nio.file.Path;

/**
 * Readings of the machine's resources that the {@link ProcessPool} guards. Every call reads
 * afresh; nothing is cached.
 */
public interface SystemProbe {
    long memTotalBytes();

    long memAvailableBytes();

    /** Total and available memory, in bytes, read together. */
    record Memory(long totalBytes, long availableBytes) {}

    /** Both memory readings at once; a probe that can take them in one read overrides this. */
    default Memory memory() {
        return new Memory(memTotalBytes(), memAvailableBytes());
    }

    /** The soft limit on open file descriptors of this process ({@link Long#MAX_VALUE} when unlimited). */
    long fdLimit();

    /** File descriptors this process has open. */
    long fdsInUse();

    /**
     * Reads {@code /proc}: MemTotal and MemAvailable of {@code /proc/meminfo}, the soft "Max open
     * files" limit of {@code /proc/self/limits} and the entries of {@code /proc/self/fd}. The
     * readings throw {@link java.io.UncheckedIOException} when {@code /proc} cannot be read.
     */
    static SystemProbe linux() {
        return new LinuxSystemProbe(Path.of("/proc"));
    }
}
