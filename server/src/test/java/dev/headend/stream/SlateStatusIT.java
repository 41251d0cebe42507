package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel whose slate shows the time and the return time, through the real server: its FFmpeg
 * is killed twice, so the second restart waits for the cooldown, and while it waits the slate
 * goes from its base clip to the clip with the status line. The line is in the channel's time
 * zone (Asia/Kolkata, half an hour off whole-hour zones), its return time is the pending
 * restart's rounded up to the minute, the API reports it, and the segments show it: the first
 * slate segment has nothing in the band where the line goes, the status segment has bright text
 * there, and both decode.
 */
@NeedsFfmpeg
class SlateStatusIT {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm");
    private static final Pattern LINE = Pattern.compile("(\\d\\d:\\d\\d) · Back at about (\\d\\d:\\d\\d)");
    private static final Pattern YMAX = Pattern.compile("lavfi\\.signalstats\\.YMAX=(\\d+)");

    @TempDir
    Path work;

    @Test
    void whileTheRestartWaitsForItsCooldownTheSlateShowsTheTimeAndWhenTheChannelIsBack() throws Exception {
        String channel = """
                  - id: clock
                    name: Clock
                    number: 9
                    source: "test:"
                    on_demand: false
                    profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
                    slate: {show_time: true, show_return_time: true, time_zone: Asia/Kolkata}
                """;
        try (TestServer server = TestServer.start(channel, Map.of("restart_cooldown_seconds", "150",
                // the status clip is made after the slate began: the window keeps the slate's first segment listed meanwhile
                "window_segments", "30"))) {
            // the always-on stream starts at the server's first tick
            await().atMost(BOUND).until(() -> server.get("/api/streams/clock").statusCode() == 200);
            long first = Streams.awaitReplacementPid(server, "clock", -1, BOUND);
            URI playlist = server.get("/live/clock/index.m3u8").uri();
            await().atMost(BOUND).until(() -> playlist(server, playlist).segments().size() >= 4);
            Streams.awaitSlateReady(server, "clock");
            kill(first);
            long second = Streams.awaitReplacementPid(server, "clock", first, BOUND);
            Streams.awaitSlateReady(server, "clock");
            long lastReal = playlist(server, playlist).segments().getLast().sequence();
            Instant killed = Instant.now();
            kill(second);

            JsonNode shown = await().atMost(BOUND).until(() -> stream(server),
                    s -> LINE.matcher(s.path("slate_status").asText()).matches());
            Instant seen = Instant.now();

            assertThat(shown.path("state").asText()).isEqualTo("restarting");
            Instant restartAt = Instant.parse(shown.path("next_restart_at").asText());
            assertThat(restartAt).as("held by the cooldown").isAfter(killed.plus(Duration.ofSeconds(100)));
            Matcher line = LINE.matcher(shown.path("slate_status").asText());
            assertThat(line.matches()).isTrue();
            assertThat(line.group(1)).isIn(minute(killed), minute(seen));
            assertThat(line.group(2)).isEqualTo(minute(roundedUpToTheMinute(restartAt)));

            List<LivePlaylist.Entry> afterKill = playlist(server, playlist).segments().stream()
                    .filter(e -> e.sequence() > lastReal).toList();
            // the killed run's open segment closes where it stood; the slate follows behind a discontinuity
            List<LivePlaylist.Entry> slate = afterKill.subList(
                    afterKill.indexOf(afterKill.stream().filter(LivePlaylist.Entry::discontinuity).findFirst()
                            .orElseThrow()), afterKill.size());
            assertThat(slate).hasSizeGreaterThanOrEqualTo(2);
            // fetched at once, decoded after: decoding on a loaded machine outlasts their retention
            List<Path> files = new ArrayList<>();
            for (LivePlaylist.Entry e : slate) {
                files.add(segment(server, playlist, e));
            }
            Path base = files.getFirst();
            Path status = files.getLast();
            for (Path file : files) {
                assertDecodes(file);
            }
            assertThat(brightestInStatusBand(base)).as("the first slate segment: base clip, no line").isLessThan(64);
            assertThat(brightestInStatusBand(status)).as("the newest slate segment: the status line")
                    .isGreaterThan(160);
        }
    }

    private static void kill(long pid) {
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
    }

    private static JsonNode stream(TestServer server) {
        return ResponseJson.of(server.get("/api/streams/clock"));
    }

    private static LivePlaylist playlist(TestServer server, URI playlist) {
        HttpResponse<byte[]> r = server.getBytes(playlist.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        return LivePlaylist.parse(new String(r.body(), StandardCharsets.UTF_8));
    }

    private Path segment(TestServer server, URI playlist, LivePlaylist.Entry entry) throws Exception {
        HttpResponse<byte[]> r = server.getBytes(playlist.resolve(entry.uri()).toString());
        assertThat(r.statusCode()).as("segment %d: %s", entry.sequence(), new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return Files.write(work.resolve(entry.sequence() + ".ts"), r.body());
    }

    private static void assertDecodes(Path segment) throws Exception {
        ToolRun decode = ToolRun.succeed("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i",
                segment.toString(), "-f", "null", "-");
        assertThat(decode.stderr()).as("errors decoding %s", segment.getFileName()).isBlank();
    }

    /** The highest luma of the first frame in the band where the status line is drawn (the bottom quarter). */
    private static int brightestInStatusBand(Path segment) throws Exception {
        ToolRun stats = ToolRun.succeed("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i",
                segment.toString(), "-frames:v", "1", "-vf", "crop=iw:ih/4:0:ih*3/4,signalstats,metadata=print:file=-",
                "-f", "null", "-");
        Matcher m = YMAX.matcher(stats.stdout());
        assertThat(m.find()).as(stats.stdout()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static Instant roundedUpToTheMinute(Instant instant) {
        Instant minute = instant.truncatedTo(ChronoUnit.MINUTES);
        return minute.equals(instant) ? minute : minute.plus(Duration.ofMinutes(1));
    }

    private static String minute(Instant instant) {
        return MINUTE.format(ZonedDateTime.ofInstant(instant, ZONE));
    }
}
