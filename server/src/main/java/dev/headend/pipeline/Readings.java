package dev.headend.pipeline;

import java.util.Locale;

/** One set of probe readings, taken together. */
record Readings(long memTotal, long memAvailable, long fdLimit, long fdsInUse) {
    private static final long MIB = 1024 * 1024;

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
