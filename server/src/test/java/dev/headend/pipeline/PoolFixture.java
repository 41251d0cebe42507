package dev.headend.pipeline;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Spawns through a pool for a test and cleans up after it: every process carrying its (unique)
 * owner marker is killed first (so no pipeline waits on a leftover holding its output), then
 * every pipeline it spawned is stopped.
 */
final class PoolFixture implements AutoCloseable {
    static final Path WORK_DIR = Path.of(System.getProperty("java.io.tmpdir"));

    final String owner = "/tmp/headend-pool-test-" + UUID.randomUUID();
    private final ConcurrentLinkedQueue<PipelineProcess> spawned = new ConcurrentLinkedQueue<>();

    static ProcessSpec spec(String channelId, String... command) {
        return new ProcessSpec(channelId, List.of(command), WORK_DIR, Map.of());
    }

    /** A process in its own session carrying the marker of {@code owner}, like an FFmpeg left behind. */
    static Process markedSleep(String owner) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("setsid", "sleep", "300"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(OrphanReaper.MARKER, owner);
        return pb.start();
    }

    /** Output that is read and dropped. */
    static ByteSink discard() {
        return new ByteSink() {
            @Override
            public void write(byte[] data, int offset, int length) {
                // dropped
            }

            @Override
            public void end() {
                // nothing to finish
            }
        };
    }

    /**
     * Spawns through the pool and remembers the process for clean-up. Returns once the process
     * runs its own program: right after a spawn, /proc may still show the JDK's launch helper,
     * whose environment lacks the owner marker, so a scan would miss the process.
     */
    PipelineProcess spawn(ProcessPool pool, ProcessSpec spec) throws Exception {
        PipelineProcess p = pool.spawn(spec, discard(), exit -> {});
        spawned.add(p);
        await().atMost(Duration.ofSeconds(10)).until(() -> !p.alive() || markedProcesses().contains(p.pid()));
        return p;
    }

    void track(PipelineProcess pipeline) {
        spawned.add(pipeline);
    }

    List<Long> markedProcesses() {
        return OrphanReaper.find(owner);
    }

    @Override
    public void close() {
        markedProcesses().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        spawned.forEach(p -> p.stop(Duration.ofSeconds(2)));
    }
}
