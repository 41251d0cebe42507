package dev.headend.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy channel whose source has keyframes 8 s apart (a camera's long GOP): the playlist's
 * target duration fits the GOP from its first answer on, every segment starts with a keyframe
 * and its parameter sets, and FFmpeg joining the playlist decodes without an error. Both
 * kinds of input: an MP4 file (length-prefixed video) and MPEG-TS over HTTP whose SPS/PPS come
 * only once, before the first keyframe (Annex B).
 */
@NeedsFfmpeg
class CopyKeyframesIT {
    private static final int GOP_SECONDS = 8;

    @TempDir
    static Path dir;
    private static HttpServer source;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path mp4 = dir.resolve("gop8.mp4");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=160x90:rate=25", "-t", "40", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", "200", "-keyint_min", "200", "-sc_threshold", "0", "-an",
                mp4.toString());
        byte[] annexB = parameterSetsOnlyOnce(mp4);
        Path tooLong = dir.resolve("gop12.mp4");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=64x64:rate=10", "-t", "30", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", "120", "-keyint_min", "120", "-sc_threshold", "0", "-an",
                tooLong.toString());
        source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/cam.ts", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, annexB.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(annexB);
            }
        });
        source.start();
        server = TestServer.start("""
                  - id: gop-file
                    name: Long GOP file
                    source: "file:%s"
                    profile: {type: copy, audio: none}
                    linger_seconds: 300
                  - id: gop-http
                    name: Long GOP over HTTP
                    source: "http://127.0.0.1:%d/cam.ts"
                    profile: {type: copy, audio: none}
                    linger_seconds: 300
                  - id: gop-too-long
                    name: Keyframes 12 s apart
                    source: "file:%s"
                    profile: {type: copy, audio: none}
                """.formatted(mp4, source.getAddress().getPort(), tooLong), Map.of("window_segments", "6"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (source != null) {
            source.stop(0);
        }
    }

    @Test
    void anMp4SourceWithEightSecondKeyframesGetsKeyframeTrueSegmentsThatDecodeWithoutErrors() throws Exception {
        checkChannel("gop-file", 3);
    }

    @Test
    void annexBOverHttpWithParameterSetsSentOnceGetsThemBeforeEveryKeyframe() throws Exception {
        checkChannel("gop-http", 2);
    }

    @Test
    void aSourceWhoseKeyframesAreTooFarApartFailsToStartNamingProfileH264() {
        HttpResponse<String> refused = server.get("/live/gop-too-long/index.m3u8");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(Streams.errorCode(refused)).isEqualTo("source_failed");
        HttpResponse<String> operator = server.post("/api/streams/gop-too-long/start?wait=ready");
        assertThat(operator.statusCode()).as(operator.body()).isEqualTo(503);
        assertThat(ResponseJson.of(operator).path("error").path("message").asText())
                .as("the operator learns why").contains("keyframes are more than 10.4 s apart").contains("profile: h264");
        await().atMost(Streams.START).until(() -> server.server().streams().find("gop-too-long").isEmpty());
        assertThat(server.server().streams().lastFailure("gop-too-long")).hasValueSatisfying(
                f -> assertThat(f.reason()).contains("profile: h264"));
        assertThat(server.get("/api/streams/gop-too-long").statusCode()).isEqualTo(404);
    }

    private static void checkChannel(String id, int segments) throws Exception {
        HttpResponse<String> first = server.openSession(id);
        URI playlistUri = first.uri();
        List<LivePlaylist> seen = new ArrayList<>(List.of(LivePlaylist.parse(first.body())));
        LivePlaylist full = await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(60)).until(() -> {
            LivePlaylist p = LivePlaylist.parse(server.get(playlistUri.getRawPath() + "?" + playlistUri.getRawQuery())
                    .body());
            seen.add(p);
            return p;
        }, p -> p.segments().size() >= segments);

        assertThat(seen).extracting(LivePlaylist::targetDuration).as("target duration from the first answer on")
                .containsOnly(GOP_SECONDS);
        assertThat(full.independentSegments()).isTrue();
        // fetched at once, inspected after: decoding on a loaded machine outlasts their retention
        List<LivePlaylist.Entry> inspected = full.segments().subList(0, segments);
        List<Path> files = new ArrayList<>();
        for (LivePlaylist.Entry e : inspected) {
            HttpResponse<byte[]> fetched = server.getBytes(playlistUri.resolve(e.uri()).toString());
            assertThat(fetched.statusCode()).as("segment %d: %s", e.sequence(),
                    new String(fetched.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            files.add(Files.write(dir.resolve(id + "-" + e.sequence() + ".ts"), fetched.body()));
        }
        for (int i = 0; i < inspected.size(); i++) {
            LivePlaylist.Entry e = inspected.get(i);
            Path file = files.get(i);
            List<Boolean> keys = keyFrames(file);
            assertThat(keys).as("frames of segment %d", e.sequence()).isNotEmpty();
            assertThat(keys.getFirst()).as("segment %d starts with a keyframe", e.sequence()).isTrue();
            assertThat(decodeErrors(file.toString(), List.of())).as("segment %d decoded on its own", e.sequence())
                    .isEmpty();
            if (e != full.segments().getLast()) {
                assertThat(e.duration()).as("EXTINF of segment %d", e.sequence())
                        .isLessThanOrEqualTo(GOP_SECONDS + 0.45);
            }
        }
        assertThat(decodeErrors(playlistUri.toString(), List.of("-live_start_index", "0", "-t",
                Integer.toString(GOP_SECONDS * (segments - 1)))))
                .as("ffmpeg joining the playlist").isEmpty();
    }

    /** The key-frame flag of every video frame, decoded with showall (frames before a keyframe included). */
    private static List<Boolean> keyFrames(Path ts) throws IOException, InterruptedException {
        String json = ToolRun.succeed("ffprobe", "-v", "quiet", "-flags2", "+showall", "-select_streams", "v",
                "-show_frames", "-show_entries", "frame=key_frame", "-of", "json", ts.toString()).stdout();
        List<Boolean> keys = new ArrayList<>();
        for (JsonNode frame : new ObjectMapper().readTree(json).path("frames")) {
            keys.add(frame.path("key_frame").asInt() == 1);
        }
        return keys;
    }

    /** The lines FFmpeg logs at level error while decoding {@code input} (its decode errors). */
    private static List<String> decodeErrors(String input, List<String> inputOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error"));
        command.addAll(inputOptions);
        command.addAll(List.of("-i", input, "-f", "null", "-"));
        ToolRun run = ToolRun.of(command.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return run.stderr().lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * MPEG-TS of {@code mp4} whose SPS and PPS come only before the first keyframe: the first GOP
     * as FFmpeg muxes it (parameter sets included), then the rest with them removed (from the
     * MPEG-TS, since FFmpeg would put them back when converting the MP4's video to Annex B), its
     * timestamps continuing those of the first part.
     */
    private static byte[] parameterSetsOnlyOnce(Path mp4) throws IOException, InterruptedException {
        Path whole = dir.resolve("whole.ts");
        Path firstGop = dir.resolve("first-gop.ts");
        Path rest = dir.resolve("rest.ts");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", mp4.toString(),
                "-c", "copy", "-f", "mpegts", whole.toString());
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", whole.toString(),
                "-t", Double.toString(GOP_SECONDS - 0.1), "-c", "copy", "-f", "mpegts", firstGop.toString());
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-ss", Integer.toString(GOP_SECONDS),
                "-i", whole.toString(), "-copyts", "-c", "copy", "-bsf:v", "filter_units=remove_types=7|8",
                "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", rest.toString());
        byte[] a = Files.readAllBytes(firstGop);
        byte[] b = Files.readAllBytes(rest);
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        assertThat(sequenceParameterSets(joined)).as("SPS in the test input").isEqualTo(1);
        return joined;
    }

    /** Start codes followed by an H.264 SPS header byte (0x67), in the bytes as they are. */
    private static int sequenceParameterSets(byte[] ts) {
        int count = 0;
        for (int i = 0; i + 3 < ts.length; i++) {
            if (ts[i] == 0 && ts[i + 1] == 0 && ts[i + 2] == 1 && ts[i + 3] == 0x67) {
                count++;
            }
        }
        return count;
    }
}
