package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.SlateLook.Audio;
import dev.headend.channel.SlateLook.Visual;
import dev.headend.channel.SlateLook;
import dev.headend.channel.SlateStatus;
import dev.headend.slate.SlateProvider.SlatePiece;
import dev.headend.support.ManualTime;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slate sequence's switching rules, with real clips and a clip maker the test answers by
 * hand, so what is asked for, and when a clip is ready, is under the test's control.
 */
@NeedsFfmpeg
class SlatePlayerTest {
    private static final MediaFormat TINY = new MediaFormat(160, 90, 25,
            Optional.of(new MediaFormat.Audio(48_000, 2)));
    private static final SlateLook LOOK = SlateLook.of(Visual.TEXT, Audio.SILENT);
    private static final SlateStatus BOTH = new SlateStatus(true, true, ZoneOffset.UTC);
    private static final Instant NOON = Instant.parse("2026-07-14T12:00:10Z");
    private static final Optional<Instant> BACK = Optional.of(Instant.parse("2026-07-14T12:02:40Z"));
    private static final String AT_NOON = "12:00 · Back at about 12:03";
    private static final String A_MINUTE_LATER = "12:01 · Back at about 12:03";
    private static final long START = 900_000;

    @TempDir
    static Path dir;

    private static SlateClip base;
    private static SlateClip noonClip;
    private static SlateClip laterClip;

    private final ManualTime clock = new ManualTime(NOON);
    /** Lines asked for, in order, each with the future the test completes. */
    private final List<String> asked = new ArrayList<>();
    private final List<CompletableFuture<SlateClip>> answers = new ArrayList<>();

    @BeforeAll
    static void makeClips() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        base = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, TINY, LOOK, "", 1);
        noonClip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, TINY, LOOK, AT_NOON, 1);
        laterClip = SlateMaker.make(TestPool.TOOLS, "ffmpeg", work, TINY, LOOK, A_MINUTE_LATER, 1);
    }

    @Test
    void withoutAStatusLineNoClipIsEverAskedFor() {
        SlatePlayer player = player(SlateStatus.OFF);

        List<SlatePiece> pieces = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pieces.add(player.next());
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(asked).isEmpty();
        assertThat(pieces).extracting(SlatePiece::status).containsOnly("");
        assertContinuous(pieces);
    }

    @Test
    void theBaseClipPlaysAtOnceAndTheStatusClipTakesOverAtTheFirstLoopStartAfterItIsReady() {
        SlatePlayer player = player(BOTH);
        List<SlatePiece> pieces = new ArrayList<>();

        pieces.add(player.next());
        assertThat(pieces.getFirst().status()).as("the first segment never waits").isEmpty();
        assertThat(pieces.getFirst().startPts()).isEqualTo(START);
        assertThat(asked).containsExactly(AT_NOON);
        pieces.add(player.next());
        pieces.add(player.next());
        assertThat(asked).as("asked once, while it is being made").containsExactly(AT_NOON);

        answers.getFirst().complete(noonClip);
        pieces.add(player.next());
        pieces.add(player.next());
        pieces.add(player.next());

        assertThat(pieces).extracting(SlatePiece::status)
                .as("ready after segment 3, mid-loop: the base clip ends its loop first")
                .containsExactly("", "", "", "", AT_NOON, AT_NOON);
        assertContinuous(pieces);
    }

    @Test
    void aNewMinuteBringsTheNextLineWhileTheCurrentClipKeepsPlaying() {
        SlatePlayer player = player(BOTH);
        List<SlatePiece> pieces = new ArrayList<>();
        pieces.add(player.next());
        answers.getFirst().complete(noonClip);
        pieces.add(player.next());
        pieces.add(player.next());

        clock.advance(Duration.ofSeconds(60));
        pieces.add(player.next());
        pieces.add(player.next());
        assertThat(asked).containsExactly(AT_NOON, A_MINUTE_LATER);
        answers.get(1).complete(laterClip);
        pieces.add(player.next());
        pieces.add(player.next());

        assertThat(pieces).extracting(SlatePiece::status).as("each switch waits for a loop start")
                .containsExactly("", "", AT_NOON, AT_NOON, AT_NOON, AT_NOON, A_MINUTE_LATER);
        assertContinuous(pieces);
    }

    @Test
    void aLineThatChangesWhileTheLastOneIsBeingMadeIsAskedForOnceThatOneIsIn() {
        SlatePlayer player = player(BOTH);
        List<SlatePiece> pieces = new ArrayList<>();
        pieces.add(player.next());
        clock.advance(Duration.ofSeconds(60));
        pieces.add(player.next());
        assertThat(asked).as("one clip at a time").containsExactly(AT_NOON);

        answers.getFirst().complete(noonClip);
        pieces.add(player.next());
        assertThat(asked).containsExactly(AT_NOON, A_MINUTE_LATER);
        answers.get(1).complete(laterClip);
        pieces.add(player.next());
        pieces.add(player.next());

        assertThat(pieces).extracting(SlatePiece::status)
                .as("the older line shows for a loop rather than the base clip for longer")
                .containsExactly("", "", AT_NOON, AT_NOON, A_MINUTE_LATER);
        assertContinuous(pieces);
    }

    @Test
    void aFailedClipLeavesTheCurrentOnePlayingAndIsNotAskedForAgainUntilTheLineChanges() {
        SlatePlayer player = player(BOTH);
        List<SlatePiece> pieces = new ArrayList<>();
        pieces.add(player.next());
        answers.getFirst().completeExceptionally(new IOException("ffmpeg exited with 1: no font"));

        for (int i = 0; i < 4; i++) {
            pieces.add(player.next());
        }
        assertThat(asked).containsExactly(AT_NOON);
        clock.advance(Duration.ofSeconds(60));
        pieces.add(player.next());

        assertThat(asked).containsExactly(AT_NOON, A_MINUTE_LATER);
        assertThat(pieces).extracting(SlatePiece::status).containsOnly("");
        assertContinuous(pieces);
    }

    private SlatePlayer player(SlateStatus status) {
        return new SlatePlayer("news", new SlateFeed(base, START), status, () -> BACK, clock, line -> {
            CompletableFuture<SlateClip> answer = new CompletableFuture<>();
            asked.add(line);
            answers.add(answer);
            return answer;
        });
    }

    /** Each piece starts where the one before it ended. */
    private static void assertContinuous(List<SlatePiece> pieces) {
        for (int i = 1; i < pieces.size(); i++) {
            SlatePiece before = pieces.get(i - 1);
            assertThat(pieces.get(i).startPts()).as("PTS of piece " + i)
                    .isEqualTo(before.startPts() + Math.round(before.seconds() * 90_000));
        }
    }
}
