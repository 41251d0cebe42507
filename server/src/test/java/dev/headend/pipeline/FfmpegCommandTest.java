package dev.headend.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.SlateLook;
import dev.headend.channel.Source;
import dev.headend.channel.Sources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FfmpegCommandTest {
    private static final String FFMPEG = "/opt/ffmpeg/bin/ffmpeg";
    private static final String CAPTION = "bobs-news.txt";
    private static final OutputProfile.H264 SMALL = new OutputProfile.H264(
            Optional.of(320), Optional.of(180), Optional.of(25), 300, "ultrafast", AudioMode.AAC);
    private static final OutputProfile.Copy COPY = new OutputProfile.Copy(AudioMode.COPY);

    @Test
    void firstArgumentIsTheFfmpegPathAndOutputIsMpegTsOnStdout() {
        List<String> a = build(new Source.Rtsp(URI.create("rtsp://192.0.2.10/live")), COPY, 1);

        assertThat(a.getFirst()).isEqualTo(FFMPEG);
        assertThat(a.getLast()).isEqualTo("pipe:1");
        assertThat(a.subList(a.lastIndexOf("-f"), a.size())).startsWith("-f", "mpegts");
        assertThat(a).containsSubsequence("-progress", "pipe:2");
    }

    @Test
    void testPatternReadsItsCaptionFromTheCaptionFile() {
        String name = "Bob's: news, [1]";
        Channel channel = channel(name, new Source.TestPattern(), SMALL);

        List<String> a = FfmpegCommand.build(FFMPEG, channel, channel.source(), 1, CAPTION);

        assertThat(a).containsSequence("-f", "lavfi");
        String video = valueAfterFirst(a, "-i");
        assertThat(video).startsWith("testsrc2=size=320x180:rate=25,").contains("drawtext=textfile=" + CAPTION + ":");
        assertThat(a).containsSequence("-i", "sine=frequency=1000:sample_rate=48000");
        assertThat(a).containsSequence("-map", "1:a:0");
        assertThat(a).allSatisfy(arg -> assertThat(arg).doesNotContain("Bob"));
    }

    @Test
    void pushedImagesAreReadFromStdinAtTheirArrivalTimesAndScaledToEvenSides() {
        OutputProfile.H264 pushed = new OutputProfile.H264(Optional.empty(), Optional.empty(), Optional.empty(), 800,
                "superfast", AudioMode.NONE);

        List<String> a = build(new Source.Push("ward-3"), pushed, 1);

        assertThat(a).containsSubsequence("-use_wallclock_as_timestamps", "1", "-i", "pipe:0");
        assertThat(a).filteredOn("-i"::equals).hasSize(1);
        assertThat(a).containsSequence("-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2");
        assertThat(a).containsSequence("-c:v", "libx264").contains("-an").doesNotContain("-analyzeduration");
        assertThat(a).allSatisfy(arg -> assertThat(arg).doesNotContain("ward-3"));
    }

    @Test
    void silentTestPatternHasNoToneInput() {
        OutputProfile.H264 silent = new OutputProfile.H264(
                Optional.of(320), Optional.of(180), Optional.of(25), 300, "ultrafast", AudioMode.NONE);

        List<String> a = build(new Source.TestPattern(), silent, 1);

        assertThat(a).filteredOn("-i"::equals).hasSize(1);
        assertThat(a).noneMatch(arg -> arg.startsWith("sine="));
        assertThat(a).contains("-an").doesNotContain("-c:a");
    }

    @Test
    void fileIsPassedWithAnExplicitProtocolRightAfterInputOption() {
        Path path = Path.of("/srv/media/-looks like an option.mp4");

        List<String> a = build(new Source.MediaFile(path), COPY, 1);

        assertThat(valueAfterFirst(a, "-i")).isEqualTo("file:/srv/media/-looks like an option.mp4");
        assertThat(a).containsSequence("-stream_loop", "-1").contains("-re");
        assertThat(a.indexOf("-stream_loop")).isLessThan(a.indexOf("-i"));
    }

    @Test
    void rtspIsReadOverTcpWithATimeout() {
        String url = "rtsp://user:pw@192.0.2.10:554/Streaming/Channels/101";

        List<String> a = build(new Source.Rtsp(URI.create(url)), COPY, 1);

        assertThat(a).containsSequence("-rtsp_transport", "tcp");
        assertThat(valueAfterFirst(a, "-timeout")).isEqualTo("10000000");
        assertThat(valueAfterFirst(a, "-i")).isEqualTo(url);
        assertThat(a.indexOf("-rtsp_transport")).isLessThan(a.indexOf("-i"));
        assertThat(a.indexOf("-timeout")).isLessThan(a.indexOf("-i"));
    }

    @Test
    void httpIsReadWithReconnects() {
        String url = "https://example.com/live/news/index.m3u8";

        List<String> a = build(new Source.Http(URI.create(url)), COPY, 1);

        assertThat(a).containsSequence("-reconnect", "1")
                .containsSequence("-reconnect_streamed", "1")
                .containsSequence("-reconnect_on_network_error", "1")
                .contains("-reconnect_delay_max", "-rw_timeout");
        assertThat(valueAfterFirst(a, "-i")).isEqualTo(url);
        assertThat(a.indexOf("-reconnect")).isLessThan(a.indexOf("-i"));
    }

    @Test
    void udpSrtAndRtmpAreReadWithATimeout() {
        for (String url : List.of("udp://233.252.0.1:5000", "srt://192.0.2.30:9000?mode=caller",
                "rtmp://example.com/live/key")) {
            List<String> a = build(new Source.Network(URI.create(url)), COPY, 1);

            assertThat(valueAfterFirst(a, "-rw_timeout")).isEqualTo("10000000");
            assertThat(valueAfterFirst(a, "-i")).isEqualTo(url);
            assertThat(a.indexOf("-rw_timeout")).isLessThan(a.indexOf("-i"));
        }
    }

    @Test
    void copyProfileCopiesVideoAndAudio() {
        List<String> a = build(new Source.Rtsp(URI.create("rtsp://192.0.2.10/live")), COPY, 1);

        assertThat(a).containsSequence("-c:v", "copy").containsSequence("-c:a", "copy")
                .containsSequence("-map", "0:v:0?").containsSequence("-map", "0:a:0?")
                .doesNotContain("libx264", "-force_key_frames");
    }

    @Test
    void copiedAnnexBVideoGetsItsParameterSetsBeforeEveryKeyframe() {
        for (String url : List.of("rtsp://192.0.2.10/live", "udp://239.0.0.1:1234", "srt://192.0.2.1:9000",
                "http://192.0.2.20:8001/stream.ts", "http://192.0.2.20:8001/live/user/pass/1234",
                "file:/media/recording.TS", "file:/media/recording.m2ts")) {
            assertThat(build(Sources.parse("cam", url, Path.of("/")), COPY, 1)).as(url)
                    .containsSequence("-c:v", "copy", "-bsf:v", "dump_extra=freq=keyframe");
        }
    }

    @Test
    void copiedLengthPrefixedVideoGetsNoParameterSetFilter() {
        for (String url : List.of("file:/media/film.mp4", "file:/media/film.mkv", "http://192.0.2.20/film.mp4",
                "http://192.0.2.20/live/cam.flv", "https://192.0.2.20/hls/index.m3u8?token=a.ts",
                "rtmp://192.0.2.30/live/cam")) {
            assertThat(build(Sources.parse("cam", url, Path.of("/")), COPY, 1)).as(url)
                    .containsSequence("-c:v", "copy").doesNotContain("-bsf:v");
        }
        assertThat(build(new Source.Rtsp(URI.create("rtsp://192.0.2.10/live")), SMALL, 1))
                .as("transcoded video").doesNotContain("-bsf:v");
    }

    @Test
    void copyProfileCanEncodeOrDropAudio() {
        Source source = new Source.Http(URI.create("http://192.0.2.20:8001/stream.ts"));

        assertThat(build(source, new OutputProfile.Copy(AudioMode.AAC), 1))
                .containsSequence("-c:v", "copy").containsSequence("-c:a", "aac").doesNotContain("-an");
        assertThat(build(source, new OutputProfile.Copy(AudioMode.NONE), 1))
                .containsSequence("-c:v", "copy").contains("-an").doesNotContain("-c:a", "0:a:0?");
    }

    @Test
    void h264ProfileEncodesWithPresetBitrateAndSegmentKeyframes() {
        OutputProfile.H264 profile = new OutputProfile.H264(
                Optional.of(1280), Optional.of(720), Optional.of(30), 1500, "medium", AudioMode.AAC);

        List<String> a = build(new Source.Rtsp(URI.create("rtsp://192.0.2.10/live")), profile, 2);

        assertThat(a).containsSequence("-c:v", "libx264")
                .containsSequence("-preset", "medium")
                .containsSequence("-b:v", "1500k")
                .containsSequence("-maxrate", "1500k")
                .containsSequence("-vf", "scale=1280:720")
                .containsSequence("-r", "30")
                .containsSequence("-c:a", "aac");
        assertThat(valueAfterFirst(a, "-force_key_frames"))
                .isEqualTo("expr:if(eq(n_forced,0),1,gte(t,(n_forced-0.5)*2))");
    }

    @Test
    void h264ProfileKeepsWhatIsNotGiven() {
        OutputProfile.H264 heightOnly = new OutputProfile.H264(
                Optional.empty(), Optional.of(480), Optional.empty(), 800, "superfast", AudioMode.NONE);

        List<String> a = build(new Source.Rtsp(URI.create("rtsp://192.0.2.10/live")), heightOnly, 1);

        assertThat(a).containsSequence("-vf", "scale=-2:480").doesNotContain("-r").contains("-an");
        assertThat(valueAfterFirst(a, "-force_key_frames"))
                .isEqualTo("expr:if(eq(n_forced,0),1,gte(t,(n_forced-0.5)*1))");
    }

    private static List<String> build(Source source, OutputProfile profile, int segmentSeconds) {
        Channel channel = channel("Channel", source, profile);
        return FfmpegCommand.build(FFMPEG, channel, channel.source(), segmentSeconds, CAPTION);
    }

    private static Channel channel(String name, Source source, OutputProfile profile) {
        return new Channel("ch", name, Optional.empty(), Optional.empty(), Optional.empty(), List.of(source), profile, true,
                Duration.ofSeconds(10), SlateLook.of(SlateLook.Visual.TEXT, SlateLook.Audio.SILENT),
                Optional.empty(), Optional.empty());
    }

    private static String valueAfterFirst(List<String> args, String option) {
        int at = args.indexOf(option);
        assertThat(at).as("position of " + option).isNotNegative().isLessThan(args.size() - 1);
        return args.get(at + 1);
    }
}
