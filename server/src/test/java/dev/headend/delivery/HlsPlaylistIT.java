package dev.headend.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headend.support.Ffprobe;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HLS playlists, segments and continuous TS as a player sees them, checked with ffprobe. */
@NeedsFfmpeg
class HlsPlaylistIT {
    private static final int WINDOW = 6;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    @AutoClose
    private static TestServer server;
    /** The playlist URL (with its session token) of the channel that runs for the whole class. */
    private static URI live;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(channel("hls-live") + channel("hls-ts") + TestServer.testChannel("hls-cold"),
                Map.of("window_segments", Integer.toString(WINDOW),
                        "start_timeout_seconds", Long.toString(START_TIMEOUT.toSeconds())));
        HttpResponse<String> first = server.get("/live/hls-live/index.m3u8");
        assertThat(first.statusCode()).isEqualTo(200);
        live = first.uri();
    }

    @Test
    void successivePlaylistsFollowTheLiveRules() {
        HttpResponse<String> response = fetch(live);
        LivePlaylist first = checkedLivePlaylist(response);
        long sequence = first.mediaSequence();
        for (int poll = 2; poll <= 20; poll++) {
            String previous = response.body();
            response = await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> fetch(live), r -> !r.body().equals(previous));
            LivePlaylist playlist = checkedLivePlaylist(response);
            assertThat(playlist.targetDuration()).as("target duration, poll %d", poll)
                    .isEqualTo(first.targetDuration());
            assertThat(playlist.mediaSequence()).as("media sequence, poll %d", poll)
                    .isGreaterThanOrEqualTo(sequence);
            sequence = playlist.mediaSequence();
        }
    }

    @Test
    void listedSegmentsStartWithAKeyframe(@TempDir Path dir) throws Exception {
        LivePlaylist playlist = await().atMost(START_TIMEOUT)
                .until(() -> LivePlaylist.parse(fetch(live).body()), p -> p.segments().size() >= 3);

        // the newest three, all fetched before any is probed: probing on a loaded machine outlasts their retention
        List<LivePlaylist.Entry> newest = playlist.segments().subList(playlist.segments().size() - 3,
                playlist.segments().size());
        Map<LivePlaylist.Entry, Path> files = new LinkedHashMap<>();
        for (LivePlaylist.Entry entry : newest) {
            HttpResponse<byte[]> segment = server.getBytes(live.resolve(entry.uri()).toString());
            assertThat(segment.statusCode()).isEqualTo(200);
            assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            assertThat(segment.headers().firstValueAsLong("Content-Length")).hasValue(segment.body().length);
            files.put(entry, write(dir.resolve(entry.sequence() + ".ts"), segment.body()));
        }
        for (Map.Entry<LivePlaylist.Entry, Path> file : files.entrySet()) {
            assertThat(Ffprobe.firstVideoFrameIsKey(file.getValue())).as("segment %s starts with a keyframe",
                    file.getKey().uri()).isTrue();
        }
    }

    @Test
    void aSegmentStaysAvailableForAWindowAfterLeavingThePlaylist() {
        LivePlaylist.Entry oldest = LivePlaylist.parse(fetch(live).body()).segments().getFirst();
        String uri = live.resolve(oldest.uri()).toString();
        long left = oldest.sequence() + 1;

        await().atMost(START_TIMEOUT).until(() -> mediaSequence() >= left);
        assertThat(server.getBytes(uri).statusCode()).as("right after leaving the playlist").isEqualTo(200);

        await().atMost(START_TIMEOUT).until(() -> mediaSequence() >= left + WINDOW);
        assertThat(server.getBytes(uri).statusCode()).as("a window after leaving the playlist").isEqualTo(200);
    }

    @Test
    void continuousTsIsPlayableAndCountsItsViewer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("continuous.ts");
        HttpResponse<InputStream> response = server.client().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/live/hls-ts.ts")).timeout(START_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            assertThat(viewers("hls-ts")).isGreaterThanOrEqualTo(1);
            copyFor(in, out, Duration.ofSeconds(3));
            assertThat(viewers("hls-ts")).isGreaterThanOrEqualTo(1);
        }
        await().atMost(START_TIMEOUT).until(() -> viewers("hls-ts") == 0);

        JsonNode probe = new ObjectMapper().readTree(Ffprobe.run("-show_entries", "stream=codec_name:format=duration",
                "-of", "json", file.toString()));
        assertThat(probe.path("streams").findValuesAsText("codec_name")).contains("h264", "aac");
        assertThat(probe.path("format").path("duration").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(Ffprobe.firstVideoFrameIsKey(file)).isTrue();
    }

    @Test
    void aStoppedChannelStartsThroughItsPlaylist() {
        assertThat(server.get("/api/streams/hls-cold").statusCode()).isEqualTo(404);

        long began = System.nanoTime();
        HttpResponse<String> response = server.get("/live/hls-cold/index.m3u8");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - began);

        System.out.printf("cold start through the playlist: %d ms%n", elapsed.toMillis());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(LivePlaylist.parse(response.body()).segments()).isNotEmpty();
        assertThat(elapsed).isLessThan(START_TIMEOUT);
    }

    /** A test-pattern channel that keeps running without viewers for the whole class. */
    private static String channel(String id) {
        return TestServer.testChannel(id, 300);
    }

    private static HttpResponse<String> fetch(URI uri) {
        return server.send(HttpRequest.newBuilder(uri).GET());
    }

    private static long mediaSequence() {
        return LivePlaylist.parse(fetch(live).body()).mediaSequence();
    }

    private static int viewers(String id) {
        return ResponseJson.of(server.get("/api/streams/" + id)).path("viewers").asInt();
    }

    /** Checks everything one live playlist response must satisfy on its own. */
    private static LivePlaylist checkedLivePlaylist(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(response.headers().firstValue("Cache-Control")).isPresent();
        LivePlaylist playlist = LivePlaylist.parse(response.body());
        assertThat(playlist.targetDuration()).isNotNull().isPositive();
        assertThat(playlist.mediaSequence()).isNotNull();
        assertThat(playlist.independentSegments()).isTrue();
        assertThat(playlist.ended()).isFalse();
        assertThat(playlist.segments()).isNotEmpty().hasSizeLessThanOrEqualTo(WINDOW);
        for (int i = 0; i < playlist.segments().size(); i++) {
            LivePlaylist.Entry s = playlist.segments().get(i);
            assertThat(s.sequence()).as("URI of segment %d in%n%s", i, response.body())
                    .isEqualTo(playlist.mediaSequence() + i);
            assertThat(s.duration()).as("EXTINF of %s", s.uri()).isNotNull()
                    .isLessThanOrEqualTo(playlist.targetDuration());
            assertThat(s.programDateTime()).as("program date-time of %s", s.uri()).isNotNull()
                    .satisfies(Instant::parse);
        }
        return playlist;
    }

    /** Reads {@code in} into {@code out} until {@code period} has passed since the first byte. */
    private static void copyFor(InputStream in, OutputStream out, Duration period) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n = in.read(buffer);
        long end = System.nanoTime() + period.toNanos();
        while (n >= 0) {
            out.write(buffer, 0, n);
            if (System.nanoTime() >= end) {
                return;
            }
            n = in.read(buffer);
        }
    }

    private static Path write(Path file, byte[] data) {
        try {
            return Files.write(file, data);
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        }
    }
}
