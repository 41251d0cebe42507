package dev.headend.pipeline;

import dev.headend.media.SegmentStore;
import dev.headend.media.TsSegmenter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
    private final ConcurrentLinkedQueue<Pipeline> spawned = new ConcurrentLinkedQueue<>();

    static Pipeline.Spec spec(String channelId, String... command) {
        return new Pipeline.Spec(channelId, List.of(command), WORK_DIR, Map.of());
    }

    /** A process in its own session carrying the marker of {@code owner}, like an FFmpeg left behind. */
    static Process markedSleep(String owner) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("setsid", "sleep", "300"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(OrphanReaper.MARKER, owner);
        return pb.start();
    }

    static TsSegmenter segmenter() {
        return new SegmentStore(1, 6, SegmentStore.Continuation.FIRST, Clock.systemUTC()).newRun(1.0, s -> { }).segmenter();
    }

    /** Spawns through the pool and remembers the pipeline for clean-up. */
    Pipeline spawn(ProcessPool pool, Pipeline.Spec spec) throws Exception {
        Pipeline p = pool.spawn(spec, segmenter(), exit -> {});
        spawned.add(p);
        return p;
    }

    void track(Pipeline pipeline) {
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
