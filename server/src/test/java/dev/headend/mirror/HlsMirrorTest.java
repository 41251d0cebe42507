package dev.headend.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.ChannelCatalog;
import dev.headend.media.Segment;
import dev.headend.resilience.RestartPolicy;
import dev.headend.stream.Failover;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamListener;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSettings;
import dev.headend.support.FakeLauncher;
import dev.headend.support.FakeSlates;
import dev.headend.support.LivePlaylist;
import dev.headend.support.ManualTime;
import dev.headend.support.TestChannels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HLS mirror against streams fed by a fake launcher, one pass at a time. */
class HlsMirrorTest {
    private static final int WINDOW = 6;

    @TempDir
    Path root;

    private final ManualTime time = new ManualTime();
    private final FakeLauncher launcher = new FakeLauncher();
    private final StreamManager streams = new StreamManager(new ChannelCatalog(List.of(
            TestChannels.onDemand("cam", "test:"), TestChannels.onDemand("desk", "test:"))),
            new StreamContext(launcher, new RestartPolicy(RestartPolicy.Config.defaults(), time),
                    new FakeSlates(), time, time, Runnable::run, new StreamSettings(1, WINDOW, WINDOW + 2, 1, Duration.ofSeconds(20),
                            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
                            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))), StreamListener.NONE));

    private HlsMirror mirror() {
        return new HlsMirror(root, streams, Runnable::run);
    }

    @Test
    void theMirrorHoldsThePlaylistAndExactlyTheBytesOfEveryListedSegment() throws Exception {
        LiveStream cam = streams.start("cam").stream();
        launcher.last().segments(3);
        HlsMirror mirror = mirror();

        mirror.pass();

        LivePlaylist playlist = playlist("cam");
        assertThat(playlist.segments()).extracting(LivePlaylist.Entry::uri).containsExactly("0.ts", "1.ts", "2.ts");
        assertThat(Files.readString(root.resolve("cam/index.m3u8")))
                .isEqualTo(cam.store().playlistTemplate().render(""));
        for (long sequence = 0; sequence < 3; sequence++) {
            Segment.Fill fill = cam.store().segment(sequence).orElseThrow().fill();
            assertThat(Files.readAllBytes(root.resolve("cam/" + sequence + ".ts")))
                    .isEqualTo(Arrays.copyOf(fill.data(), fill.size()));
        }
        assertThat(files("cam")).as("no temporary file left").allMatch(f -> !f.startsWith("."));
        assertThat(root.resolve("desk")).as("a channel that does not run").doesNotExist();
    }

    @Test
    void aSegmentFileIsDeletedAWindowAfterItLeftThePlaylist() throws Exception {
        streams.start("cam");
        HlsMirror mirror = mirror();
        for (int i = 0; i < 30; i++) {
            launcher.last().segments(1);
            mirror.pass();
        }

        LivePlaylist playlist = playlist("cam");
        long first = playlist.mediaSequence();
        assertThat(playlist.segments()).hasSize(WINDOW);
        assertThat(files("cam")).as("the window, and a window of segments that left it")
                .containsExactlyInAnyOrderElementsOf(expected(first - WINDOW, playlist.segments().getLast().sequence()));
    }

    @Test
    void aStoppedStreamsDirectoryGoesAndANewStreamStartsFromAnEmptyOne() throws Exception {
        streams.start("cam");
        launcher.last().segments(8);
        HlsMirror mirror = mirror();
        mirror.pass();
        assertThat(root.resolve("cam/7.ts")).exists();

        streams.stop("cam", "test");
        mirror.pass();
        assertThat(root.resolve("cam")).doesNotExist();

        LiveStream again = streams.start("cam").stream();
        launcher.last().segments(2);
        mirror.pass();
        List<String> listed = again.store().playlist().window().stream().map(seg -> seg.sequence() + ".ts").toList();
        assertThat(listed).hasSize(2);
        assertThat(files("cam")).as("the new stream's segments only").containsExactlyInAnyOrderElementsOf(
                Stream.concat(listed.stream(), Stream.of("index.m3u8")).toList());
    }

    @Test
    void stopDeletesEveryMirroredDirectoryAndWritesNothingAfter() throws Exception {
        streams.start("cam");
        launcher.last().segments(2);
        HlsMirror mirror = mirror();
        mirror.pass();

        mirror.stop();
        launcher.last().segments(2);
        mirror.pass();

        assertThat(root.resolve("cam")).doesNotExist();
    }

    @Test
    void clearRemovesWhatAnEarlierRunLeftForTheChannelsOnly() throws Exception {
        Files.createDirectories(root.resolve("cam"));
        Files.writeString(root.resolve("cam/index.m3u8"), "#EXTM3U\n");
        Files.createDirectories(root.resolve("operator-files"));

        mirror().clear(List.of("cam", "desk"));

        assertThat(root.resolve("cam")).doesNotExist();
        assertThat(root.resolve("operator-files")).exists();
    }

    private static List<String> expected(long from, long to) {
        List<String> names = new ArrayList<>(LongStream.rangeClosed(from, to).mapToObj(s -> s + ".ts")
                .toList());
        names.add("index.m3u8");
        return names;
    }

    private LivePlaylist playlist(String id) throws IOException {
        return LivePlaylist.parse(Files.readString(root.resolve(id).resolve("index.m3u8"), StandardCharsets.UTF_8));
    }

    private List<String> files(String id) throws IOException {
        try (var list = Files.list(root.resolve(id))) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
