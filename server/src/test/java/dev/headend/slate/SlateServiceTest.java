package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.SlateLook.Audio;
import dev.headend.channel.SlateLook.Visual;
import dev.headend.channel.SlateLook;
import dev.headend.channel.SlateStatus;
import dev.headend.channel.Source;
import dev.headend.slate.SlateProvider.SlatePiece;
import dev.headend.slate.SlateProvider.SlateSequence;
import dev.headend.support.ManualTime;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestPool;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel's slate through the service, with real FFmpeg runs and a clock the test moves: the
 * base clip plays at once, the status clip takes over at a segment boundary once made, the next
 * minute's clip takes over after it, and the whole sequence plays as one stream.
 */
@NeedsFfmpeg
class SlateServiceTest {
    private static final Instant NOON = Instant.parse("2026-07-14T12:00:10Z");
    private static final Supplier<Optional<Instant>> BACK = () -> Optional.of(Instant.parse("2026-07-14T12:02:40Z"));
    private static final long START = 900_000;
    private static final int FPS = 25;
    /** 1024 samples at 48 kHz, in 90 kHz ticks. */
    private static final long AAC_FRAME = 1920;
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private final ManualTime clock = new ManualTime(NOON);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopExecutor() {
        executor.close();
    }

    @Test
    void theBaseClipPlaysAtOnceThenTheStatusLineTakesOverAtASegmentBoundaryAndFollowsTheMinute() throws Exception {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);
        SlateService service = new SlateService(library, TestPool.TOOLS, "ffprobe", work, 1, executor, clock);
        Channel news = channel(SlateLook.of(Visual.TEXT, Audio.SINE).withStatus(new SlateStatus(true, true,
                ZoneOffset.UTC)));
        SlateSequence sequence = await().atMost(BOUND)
                .until(() -> service.start(news, Optional.empty(), START, BACK), Optional::isPresent).orElseThrow();
        List<SlatePiece> pieces = new ArrayList<>();

        pieces.add(sequence.next());
        assertThat(pieces.getFirst().status()).as("the first segment is the base clip, at once").isEmpty();
        assertThat(pieces.getFirst().startPts()).isEqualTo(START);
        await().atMost(BOUND).until(() -> add(pieces, sequence.next()).equals("12:00 · Back at about 12:03"));
        clock.advance(Duration.ofSeconds(60));
        await().atMost(BOUND).until(() -> add(pieces, sequence.next()).equals("12:01 · Back at about 12:03"));
        pieces.add(sequence.next());

        List<String> lines = pieces.stream().map(SlatePiece::status).distinct().toList();
        assertThat(lines).containsExactly("", "12:00 · Back at about 12:03", "12:01 · Back at about 12:03");
        for (String line : lines.subList(1, lines.size())) {
            int first = pieces.stream().map(SlatePiece::status).toList().indexOf(line);
            assertThat(first % SlateCommand.SEGMENTS).as("'%s' starts a loop of its clip", line).isZero();
        }
        for (int i = 1; i < pieces.size(); i++) {
            SlatePiece before = pieces.get(i - 1);
            assertThat(pieces.get(i).startPts()).as("PTS of segment " + i)
                    .isEqualTo(before.startPts() + Math.round(before.seconds() * 90_000));
        }
        assertThat(library.made()).as("the base clip and one clip per line").isEqualTo(3);
        assertPlaysAsOneStream(pieces);
    }

    @Test
    void aChannelWhoseLookChangedGetsANewBaseClipInPlaceOfItsOldOne() throws Exception {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);
        SlateService service = new SlateService(library, TestPool.TOOLS, "ffprobe", work, 1, executor, clock);
        Channel before = channel(SlateLook.of(Visual.TEXT, Audio.SILENT));
        Channel reloaded = channel(SlateLook.of(Visual.TEXT, Audio.SILENT).withTitle("Back soon"));

        byte[] old = first(service, before);
        assertThat(service.readiness(before)).isEqualTo(SlateReadiness.READY);
        assertThat(service.readiness(reloaded)).as("made for the old look only").isEqualTo(SlateReadiness.NONE);
        byte[] changed = first(service, reloaded);
        assertThat(service.readiness(reloaded)).isEqualTo(SlateReadiness.READY);

        assertThat(changed).as("the reloaded look's slate").isNotEqualTo(old);
        assertThat(first(service, reloaded)).isEqualTo(changed);
        assertThat(library.made()).isEqualTo(2);
    }

    @Test
    void aSlateThatCannotBeMadeIsTriedOncePerRetryPeriodNotOncePerCall() {
        SlateLibrary library = new SlateLibrary(TestPool.TOOLS, "ffmpeg", work);
        SlateService service = new SlateService(library, TestPool.TOOLS, "ffprobe", work, 1, executor, clock);
        Channel broken = channel(SlateLook.image(work.resolve("missing.png"), Audio.SILENT));

        assertThat(service.readiness(broken)).isEqualTo(SlateReadiness.NONE);
        assertThat(service.start(broken, Optional.empty(), START, Optional::empty)).isEmpty();
        await().atMost(BOUND).until(() -> service.readiness(broken) == SlateReadiness.FAILED);
        for (int call = 0; call < 20; call++) {
            assertThat(service.start(broken, Optional.empty(), START, Optional::empty)).isEmpty();
        }
        assertThat(library.made()).as("one run, none again within the retry period").isEqualTo(1);
        clock.advance(SlateService.RETRY_AFTER);
        assertThat(service.readiness(broken)).as("due for another try").isEqualTo(SlateReadiness.NONE);
        assertThat(service.start(broken, Optional.empty(), START, Optional::empty)).isEmpty();
        await().atMost(BOUND).until(() -> library.made() == 2);
    }

    /** The first slate segment for the channel, once its base clip is ready. */
    private static byte[] first(SlateService service, Channel channel) {
        return await().atMost(BOUND).until(() -> service.start(channel, Optional.empty(), START, Optional::empty),
                Optional::isPresent).orElseThrow().next().bytes();
    }

    /**
     * The joined segments decode without a warning, video frames follow each other one frame
     * apart, and audio runs on across the clip switches without a gap or overlap of more than
     * half an AAC frame.
     */
    private void assertPlaysAsOneStream(List<SlatePiece> pieces) throws Exception {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        pieces.forEach(p -> joined.writeBytes(p.bytes()));
        Path file = work.resolve("joined.ts");
        Files.write(file, joined.toByteArray());

        assertThat(Tools.ffmpeg("-i", file.toString(), "-f", "null", "-")).isEmpty();
        List<Long> video = pts(joined.toByteArray(), "v:0");
        assertThat(video).hasSize(pieces.size() * FPS);
        for (int i = 1; i < video.size(); i++) {
            assertThat(video.get(i) - video.get(i - 1)).as("step before video frame " + i).isEqualTo(90_000L / FPS);
        }
        List<Long> audio = pts(joined.toByteArray(), "a:0");
        for (int i = 1; i < audio.size(); i++) {
            assertThat(audio.get(i) - audio.get(i - 1)).as("step before audio frame " + i)
                    .isBetween(AAC_FRAME / 2, AAC_FRAME * 3 / 2);
        }
    }

    private List<Long> pts(byte[] ts, String stream) throws Exception {
        List<Long> pts = new ArrayList<>();
        for (JsonNode p : Tools.ffprobe(work, ts, "-select_streams", stream, "-show_entries", "packet=pts")
                .path("packets")) {
            pts.add(p.path("pts").asLong());
        }
        return pts;
    }

    private static String add(List<SlatePiece> pieces, SlatePiece piece) {
        pieces.add(piece);
        return piece.status();
    }

    /** A 160x90 channel (the size its slate is made in when no segment of it is known) with this slate look. */
    private static Channel channel(SlateLook look) {
        return new Channel("news", "News", Optional.of(7), Optional.empty(), Optional.empty(),
                List.of(new Source.TestPattern()), new OutputProfile.H264(Optional.of(160), Optional.of(90),
                        Optional.of(FPS), 300, "ultrafast", AudioMode.AAC), true, Duration.ofSeconds(10), look, Optional.empty(), Optional.empty());
    }
}
