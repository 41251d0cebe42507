package dev.headend.bench;

import dev.headend.channel.SlateLook;
import dev.headend.pipeline.PoolLimits;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.SystemProbe;
import dev.headend.slate.MediaFormat;
import dev.headend.slate.SlateClip;
import dev.headend.slate.SlateMaker;
import dev.headend.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the slate costs. First, making one 720p slate clip with FFmpeg in this process (through
 * a process pool of its own, as the server makes them): FFmpeg's CPU time, read as this JVM's
 * reaped-children time, against wall time, for a base clip and for status-line clips (what a
 * slate showing the time costs each minute of an outage). Then, on the server, the CPU of a
 * channel's FFmpeg while it runs against the CPU of the whole server while only the slate feeds
 * that channel's playlist: the channel's source is removed and its FFmpeg killed, its first
 * restart fails at once and the 30 s cooldown holds the next, so the slate plays alone. A
 * continuous-TS reader keeps the channel watched throughout.
 */
final class SlateCost {
    /** Kernel ticks per second in /proc: USER_HZ, fixed at 100 for Linux's user-space ABI. */
    private static final double USER_HZ = 100;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ServerProcess server;
    private final Report report;
    private final String ffmpeg;

    SlateCost(ServerProcess server, Report report, String ffmpeg) {
        this.server = server;
        this.report = report;
        this.ffmpeg = ffmpeg;
    }

    /** Clip making in this process, in a scratch directory under {@code work}. */
    void making(Path work) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("slate-cost"));
        ProcessPool tools = new ProcessPool(PoolLimits.defaults(), SystemProbe.linux(), TimeSource.system(),
                "/tmp/headend-bench-slate-" + UUID.randomUUID());
        MediaFormat hd = new MediaFormat(1280, 720, 25, Optional.of(new MediaFormat.Audio(48_000, 2)));
        SlateLook look = SlateLook.of(SlateLook.Visual.TEXT, SlateLook.Audio.SINE).withChannelLine("7 · Demo News");
        record Run(String key, String label, String status, int segmentSeconds) {}
        for (Run run : new Run[] {
                new Run("slate_clip_first", "first clip, 2 s segments", "", 2),
                new Run("slate_clip_base", "base clip, 2 s segments", "", 2),
                new Run("slate_clip_status_2s", "status-line clip, 2 s segments", "14:05 · Back at about 14:07", 2),
                new Run("slate_clip_status_1s", "status-line clip, 1 s segments", "14:06 · Back at about 14:07", 1)}) {
            double cpuBefore = childrenCpuSeconds();
            long start = System.nanoTime();
            SlateClip clip = SlateMaker.make(tools, ffmpeg, dir, hd, look, run.status(), run.segmentSeconds());
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = childrenCpuSeconds() - cpuBefore;
            report.value(run.key(), "Slate clip 720p25 (" + run.label() + "): FFmpeg CPU / wall, bytes",
                    String.format(Locale.ROOT, "%.2f s / %.2f s, %d bytes", cpu, wall, clip.sizeBytes()));
        }
    }

    /** The slate against the channel it stands in for, on the server; {@code source} is the channel's file. */
    void againstTheChannel(String id, Path source) throws IOException, InterruptedException {
        Api api = server.api();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> reader = http.send(HttpRequest.newBuilder(URI.create(api.base() + "/live/" + id
                + ".ts")).build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread drain = Thread.ofVirtual().start(() -> {
            try (InputStream in = reader.body()) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException closed) {
                // the scenario ended the stream
            }
        });
        try {
            long pid = await(() -> api.json("/api/streams/" + id).path("pid").asLong(-1), p -> p > 0);
            Thread.sleep(2_000);
            double channel = cpuPercent(() -> Proc.cpuSeconds(pid));

            Files.move(source, source.resolveSibling(source.getFileName() + ".gone"));
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            await(() -> api.json("/api/streams/" + id).path("restarts").asInt(), r -> r >= 2);
            double slate = cpuPercent(() -> Proc.cpuSeconds(server.pid()));
            int restarts = api.json("/api/streams/" + id).path("restarts").asInt();

            report.value("slate_vs_channel", "Slate alone (whole server) vs the channel's FFmpeg, 320x180 h264, % of"
                    + " a core", String.format(Locale.ROOT, "%.1f%% vs %.1f%%%s", slate, channel,
                            restarts == 2 ? "" : " (restarts during the measurement: " + restarts + ")"));
            Files.move(source.resolveSibling(source.getFileName() + ".gone"), source);
        } finally {
            api.stop(id);
            drain.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** CPU over {@link #WINDOW}, in percent of one core. */
    private static double cpuPercent(CpuSeconds cpu) throws IOException, InterruptedException {
        double before = cpu.read();
        long start = System.nanoTime();
        Thread.sleep(WINDOW.toMillis());
        return 100 * (cpu.read() - before) / ((System.nanoTime() - start) / 1e9);
    }

    @FunctionalInterface
    private interface CpuSeconds {
        double read() throws IOException;
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read() throws IOException, InterruptedException;
    }

    private static <T> T await(Reading<T> reading, Predicate<T> done)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < LIMIT_NANOS) {
            T value = reading.read();
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the slate scenario's channel did not get there within 30 s");
    }

    /** cutime + cstime of this JVM: CPU time of its children that have been waited for. */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / USER_HZ;
    }
}
