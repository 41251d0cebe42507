package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.SlateLook.Audio;
import dev.headend.channel.SlateLook.Visual;
import dev.headend.channel.SlateLook;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@NeedsFfmpeg
class SlateMakerTest {
    private static final MediaFormat SMALL = new MediaFormat(320, 180, 25,
            Optional.of(new MediaFormat.Audio(48_000, 2)));
    private static final MediaFormat HD = new MediaFormat(1280, 720, 25,
            Optional.of(new MediaFormat.Audio(48_000, 2)));
    private static final String TRICKY_TITLE = "Bob's: news, [1]";
    private static final String TRICKY_SUBTITLE = "100% \\ %{localtime} \"quoted\"; a=b";

    @TempDir
    static Path scratch;

    /** A test picture whose file name holds a space, a comma and brackets. */
    private static Path image;

    @TempDir
    Path work;

    @BeforeAll
    static void drawImage() throws Exception {
        image = scratch.resolve("slate picture, [1].png");
        Tools.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360", "-frames:v", "1", image.toString());
    }

    static Stream<Arguments> looks() {
        return Stream.of(
                Arguments.of(Visual.TEXT, Audio.SILENT),
                Arguments.of(Visual.TEXT, Audio.SINE),
                Arguments.of(Visual.SLATE, Audio.SILENT),
                Arguments.of(Visual.SLATE, Audio.BEEP),
                Arguments.of(Visual.TEST_PATTERN, Audio.SILENT),
                Arguments.of(Visual.TEST_PATTERN, Audio.WHITE_NOISE),
                Arguments.of(Visual.STATIC, Audio.SILENT),
                Arguments.of(Visual.STATIC, Audio.SINE));
    }

    @ParameterizedTest(name = "{0} with {1} audio")
    @MethodSource("looks")
    void everyLookMakesDecodableSegmentsOfTheSegmentDurationStartingWithAKeyframe(Visual visual, Audio audio)
            throws Exception {
        SlateClip clip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, look(visual, audio), "", 1);

        assertThat(clip.segmentCount()).isEqualTo(2);
        for (int i = 0; i < clip.segmentCount(); i++) {
            assertThat(clip.seconds(i)).as("duration of segment " + i).isCloseTo(1.0, within(0.05));
            assertSegment(clip.segment(i), SMALL, 25);
        }
    }

    @Test
    void aFormatWithoutAudioMakesVideoOnlySegments() throws Exception {
        MediaFormat silent = new MediaFormat(320, 180, 25, Optional.empty());

        SlateClip clip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, silent, SlateLook.of(Visual.TEXT, Audio.SINE), "", 1);

        JsonNode streams = Tools.ffprobe(scratch, clip.segment(0), "-show_entries", "stream=codec_type")
                .path("streams");
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).path("codec_type").asText()).isEqualTo("video");
        assertSegment(clip.segment(1), silent, 25);
    }

    @Test
    void anNtscFrameRateCutsSegmentsAtTheFirstFrameOfEachBoundary() throws Exception {
        MediaFormat ntsc = new MediaFormat(320, 180, 30_000 / 1001.0, Optional.of(new MediaFormat.Audio(44_100, 1)));

        SlateClip clip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, ntsc, SlateLook.of(Visual.SLATE, Audio.SINE), "", 2);

        for (int i = 0; i < clip.segmentCount(); i++) {
            assertThat(clip.seconds(i)).as("60 frames of 1001/30000 s").isCloseTo(2.002, within(0.0001));
            assertSegment(clip.segment(i), ntsc, 60);
        }
    }

    @Test
    void textWithQuotesColonsCommasBracketsPercentAndBackslashIsDrawnButNeverPassedAsAnArgument()
            throws Exception {
        SlateLook look = SlateLook.of(Visual.TEXT, Audio.SILENT).withTitle(TRICKY_TITLE)
                .withSubtitle(TRICKY_SUBTITLE).withChannelLine("7 · Demo News");

        List<String> arguments = SlateCommand.arguments("ffmpeg", SMALL, look, "", 1);
        SlateClip clip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, look, "", 1);

        assertThat(arguments).noneMatch(a -> a.contains("Bob") || a.contains("localtime") || a.contains("quoted")
                || a.contains("Demo"));
        assertThat(String.join(" ", arguments)).contains("drawtext=textfile=title.txt:expansion=none:")
                .contains("drawtext=textfile=subtitle.txt:expansion=none:")
                .contains("drawtext=textfile=channel.txt:expansion=none:");
        assertSegment(clip.segment(0), SMALL, 25);
        byte[] plain = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, look.withSubtitle(""), "", 1).segment(0);
        assertThat(clip.segment(0)).as("the subtitle changed the picture").isNotEqualTo(plain);
    }

    @Test
    void theStatusLineIsReadFromItsOwnFileAndAStaticImageShowsItAloneAmongTheTexts() throws Exception {
        String line = "14:05 · Back at about 14:07";
        SlateLook text = SlateLook.of(Visual.TEXT, Audio.SILENT).withChannelLine("7 · Demo News");
        SlateLook still = SlateLook.image(image, Audio.SILENT).withChannelLine("7 · Demo News");

        String textArguments = String.join(" ", SlateCommand.arguments("ffmpeg", SMALL, text, line, 1));
        String stillArguments = String.join(" ", SlateCommand.arguments("ffmpeg", SMALL, still, line, 1));
        SlateClip withLine = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, still, line, 1);
        SlateClip without = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, still, "", 1);

        assertThat(textArguments).doesNotContain("14:05").contains("drawtext=textfile=title.txt:")
                .contains("drawtext=textfile=status.txt:expansion=none:");
        assertThat(stillArguments).doesNotContain("14:05").doesNotContain("title.txt").doesNotContain("channel.txt")
                .contains("drawtext=textfile=status.txt:expansion=none:");
        assertThat(String.join(" ", SlateCommand.arguments("ffmpeg", SMALL, still, "", 1)))
                .doesNotContain("drawtext");
        assertSegment(withLine.segment(0), SMALL, 25);
        assertThat(withLine.segment(0)).as("the status line changed the picture").isNotEqualTo(without.segment(0));
    }

    @Test
    void emptyTextsAreNotDrawn() {
        SlateLook look = SlateLook.of(Visual.TEST_PATTERN, Audio.SILENT).withTitle("");

        assertThat(String.join(" ", SlateCommand.arguments("ffmpeg", SMALL, look, "", 1))).doesNotContain("drawtext");
    }

    @Test
    void segmentsOf720pWithAStillPictureStayWellUnder100KB() throws Exception {
        List<String> sizes = new ArrayList<>();
        for (SlateLook look : List.of(SlateLook.of(Visual.TEXT, Audio.SILENT).withChannelLine("7 · Demo News"),
                SlateLook.of(Visual.TEST_PATTERN, Audio.SINE), SlateLook.image(image, Audio.SINE))) {
            SlateClip clip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, HD, look, "", 2);
            for (int i = 0; i < clip.segmentCount(); i++) {
                int size = clip.segment(i).length;
                sizes.add(look.visual() + "/" + look.audio() + " segment " + i + ": " + size + " bytes");
                assertThat(size).as(look.visual() + " segment " + i).isLessThan(100_000);
            }
        }
        System.out.println("720p25 slate segments of 2 s:\n  " + String.join("\n  ", sizes));
    }

    @Test
    void theWorkDirectoryIsLeftEmptyAfterASlateIsMade() throws Exception {
        SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, SlateLook.of(Visual.TEXT, Audio.SILENT).withSubtitle("x"), "", 1);

        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aMissingImageFailsWithFfmpegsReasonAndLeavesNothingBehind() throws IOException {
        SlateLook look = SlateLook.image(scratch.resolve("missing.png"), Audio.SILENT);

        assertThatThrownBy(() -> SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, look, "", 1))
                .isInstanceOf(IOException.class).hasMessageContaining("Could not open file")
                .hasMessageContaining("missing.png");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aSegmentDurationOutsideOneToSixtySecondsIsRefusedBeforeAnythingRuns() throws IOException {
        SlateLook look = SlateLook.of(Visual.TEXT, Audio.SILENT);

        assertThatThrownBy(() -> SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, SMALL, look, "", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentSeconds");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty();
        }
    }

    private static SlateLook look(Visual visual, Audio audio) {
        return visual == Visual.STATIC ? SlateLook.image(image, audio) : SlateLook.of(visual, audio);
    }

    /**
     * The segment holds H.264 of the format's size (plus AAC of its sample rate and channels,
     * when it has audio), {@code frames} video frames, and only its first frame is a keyframe.
     */
    private static void assertSegment(byte[] ts, MediaFormat format, int frames) throws Exception {
        JsonNode probe = Tools.ffprobe(scratch, ts, "-show_entries",
                "stream=codec_name,codec_type,width,height,sample_rate,channels:frame=media_type,key_frame");
        List<String> codecs = new ArrayList<>();
        for (JsonNode s : probe.path("streams")) {
            codecs.add(s.path("codec_name").asText());
            if (s.path("codec_type").asText().equals("video")) {
                assertThat(s.path("width").asInt()).isEqualTo(format.width());
                assertThat(s.path("height").asInt()).isEqualTo(format.height());
            } else {
                MediaFormat.Audio audio = format.audio().orElseThrow();
                assertThat(s.path("sample_rate").asInt()).isEqualTo(audio.sampleRate());
                assertThat(s.path("channels").asInt()).isEqualTo(audio.channels());
            }
        }
        assertThat(codecs).containsExactlyElementsOf(format.audio().isPresent() ? List.of("h264", "aac")
                : List.of("h264"));
        List<Boolean> keys = new ArrayList<>();
        for (JsonNode f : probe.path("frames")) {
            if (f.path("media_type").asText().equals("video")) {
                keys.add(f.path("key_frame").asInt() == 1);
            }
        }
        assertThat(keys).hasSize(frames);
        assertThat(keys.getFirst()).as("first frame is a keyframe").isTrue();
        assertThat(keys.subList(1, keys.size())).as("no other keyframe").doesNotContain(true);
    }
}
