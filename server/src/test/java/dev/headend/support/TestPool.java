package dev.headend.support;

import dev.headend.pipeline.PoolLimits;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.SystemProbe;
import dev.headend.time.TimeSource;
import java.util.UUID;

/** The process pool tests run their tools through (slate encodes, probes), as the server does. */
public final class TestPool {
    /** One pool per test JVM, with the default limits and a marker no server uses. */
    public static final ProcessPool TOOLS = new ProcessPool(PoolLimits.defaults(), SystemProbe.linux(),
            TimeSource.system(), "/tmp/headend-test-tools-" + UUID.randomUUID());

    private TestPool() {}
}
