package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.SlateLook.Audio;
import dev.headend.channel.SlateLook.Visual;
import dev.headend.channel.SlateLook;
import dev.headend.channel.SlateStatus;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NeedsFfmpeg
class SlateLibraryTest {
    private static final MediaFormat FORMAT = new MediaFormat(320, 180, 25,
            Optional.of(new MediaFormat.Audio(48_000, 2)));
    private static final SlateLook LOOK = SlateLook.of(Visual.SLATE, Audio.SILENT).withChannelLine("7 · Demo News");
    private static final MediaFormat TINY = new MediaFormat(160, 90, 25, Optional.empty());

    @TempDir
    Path work;

    @Test
    void twentyConcurrentRequestsForOneSlateRunFfmpegOnceAndShareTheClip() throws Exception {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SlateClip>> requests = new ArrayList<>();

        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                requests.add(pool.submit((Callable<SlateClip>) () -> {
                    go.await();
                    return library.clip(FORMAT, LOOK, "", 1);
                }));
            }
            go.countDown();
            SlateClip first = requests.getFirst().get();
            for (Future<SlateClip> r : requests) {
                assertThat(r.get()).isSameAs(first);
            }
            assertThat(first.segmentCount()).isEqualTo(2);
        }
        assertThat(library.made()).isEqualTo(1);
    }

    @Test
    void eachKeyIsMadeOnceAndThenServedFromMemory() throws Exception {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);

        SlateClip one = library.clip(FORMAT, LOOK, "", 1);
        SlateClip two = library.clip(FORMAT, LOOK, "", 2);
        SlateClip otherLook = library.clip(FORMAT, LOOK.withTitle("Back soon"), "", 1);

        assertThat(library.made()).isEqualTo(3);
        assertThat(library.clip(FORMAT, LOOK, "", 1)).isSameAs(one);
        assertThat(library.clip(FORMAT, LOOK, "", 2)).isSameAs(two);
        assertThat(library.clip(FORMAT, SlateLook.of(Visual.SLATE, Audio.SILENT).withChannelLine("7 · Demo News")
                .withTitle("Back soon"), "", 1)).as("equal looks are one key").isSameAs(otherLook);
        assertThat(library.clip(FORMAT, LOOK.withStatus(new SlateStatus(true, true, ZoneId.of("Europe/Paris"))), "",
                1)).as("status settings are not drawn, only the line: one key").isSameAs(one);
        assertThat(library.made()).isEqualTo(3);
    }

    @Test
    void aFailedSlateIsNotCachedSoTheNextRequestTriesAgain() throws IOException {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);
        SlateLook missing = SlateLook.image(work.resolve("missing.png"), Audio.SILENT);

        assertThatThrownBy(() -> library.clip(FORMAT, missing, "", 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("missing.png");
        assertThatThrownBy(() -> library.clip(FORMAT, missing, "", 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("missing.png");

        assertThat(library.made()).isEqualTo(2);
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void statusClipsBeyondTheCapAreDroppedLeastRecentlyUsedFirstWhileBaseClipsStay() throws Exception {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work, 2, 2);
        SlateClip base = library.clip(TINY, LOOK, "", 1);
        SlateClip noon = library.clip(TINY, LOOK, "12:00", 1);
        SlateClip oneMinutePast = library.clip(TINY, LOOK, "12:01", 1);
        assertThat(library.clip(TINY, LOOK, "12:00", 1)).as("still kept, and now the most recently used")
                .isSameAs(noon);

        SlateClip twoMinutesPast = library.clip(TINY, LOOK, "12:02", 1);

        assertThat(library.made()).isEqualTo(4);
        assertThat(library.clip(TINY, LOOK, "12:00", 1)).isSameAs(noon);
        assertThat(library.clip(TINY, LOOK, "12:02", 1)).isSameAs(twoMinutesPast);
        assertThat(library.clip(TINY, LOOK, "", 1)).as("the least recently used clip, but a base clip")
                .isSameAs(base);
        assertThat(library.made()).isEqualTo(4);
        assertThat(library.clip(TINY, LOOK, "12:01", 1)).as("dropped, so made again").isNotSameAs(oneMinutePast);
        assertThat(library.made()).isEqualTo(5);
    }

    @Test
    void atMostTwoFfmpegRunsAreInFlightHoweverManyClipsAreAskedForAtOnce() throws Exception {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SlateClip>> requests = new ArrayList<>();

        try (ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                ExecutorService pool = Executors.newFixedThreadPool(6)) {
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(runningFfmpegs(work), Math::max), 0, 2,
                    TimeUnit.MILLISECONDS);
            for (int i = 0; i < 6; i++) {
                String line = "12:0" + i + " · Back in a moment";
                requests.add(pool.submit((Callable<SlateClip>) () -> {
                    go.await();
                    return library.clip(FORMAT, LOOK, line, 1);
                }));
            }
            go.countDown();
            for (Future<SlateClip> r : requests) {
                assertThat(r.get().segmentCount()).isEqualTo(2);
            }
        }

        assertThat(library.made()).isEqualTo(6);
        assertThat(peak.get()).as("FFmpeg processes seen at once").isEqualTo(SlateLibrary.CONCURRENT_RUNS);
    }

    /**
     * FFmpeg processes this JVM started that are still running in {@code dir} (each slate run
     * works in a directory of its own in the library's work directory; other tests running at
     * the same time work elsewhere).
     */
    private static int runningFfmpegs(Path dir) {
        return (int) ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg") || c.equals("ffmpeg")).orElse(false))
                .filter(p -> workingDirectory(p.pid()).map(d -> d.startsWith(dir)).orElse(false))
                .count();
    }

    private static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
