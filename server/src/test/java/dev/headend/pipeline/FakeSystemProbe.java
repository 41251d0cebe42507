package dev.headend.pipeline;

/** System readings set by the test; starts roomy (100 GiB free of 100, 10 000 fds free). */
final class FakeSystemProbe implements SystemProbe {
    static final long GIB = 1024L * 1024 * 1024;

    private volatile long memTotal = 100 * GIB;
    private volatile long memAvailable = 100 * GIB;
    private volatile long fdLimit = 10_000;
    private volatile long fdsInUse;

    /** Total 100 GiB, of which {@code percent} GiB are used. */
    FakeSystemProbe memoryUsedPercent(int percent) {
        return memory(100 * GIB, (100 - percent) * GIB);
    }

    FakeSystemProbe memory(long total, long available) {
        memTotal = total;
        memAvailable = available;
        return this;
    }

    FakeSystemProbe fds(long limit, long inUse) {
        fdLimit = limit;
        fdsInUse = inUse;
        return this;
    }

    @Override
    public long memTotalBytes() {
        return memTotal;
    }

    @Override
    public long memAvailableBytes() {
        return memAvailable;
    }

    @Override
    public long fdLimit() {
        return fdLimit;
    }

    @Override
    public long fdsInUse() {
        return fdsInUse;
    }
}
