package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NeedsFfmpeg
class MediaFormatTest {
    @TempDir
    Path dir;

    @Test
    void probeReadsSizeFrameRateSampleRateAndChannelsOfAnH264AacSegment() throws Exception {
        byte[] ts = encode("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30000/1001", "-f", "lavfi", "-i",
                "sine=sample_rate=44100", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                "-ac", "1");

        MediaFormat format = MediaFormat.probe(TestPool.TOOLS, "ffprobe", dir, ts);

        assertThat(format).isEqualTo(new MediaFormat(640, 360, 30_000 / 1001.0,
                Optional.of(new MediaFormat.Audio(44_100, 1))));
    }

    @Test
    void probeOfAVideoOnlySegmentHasNoAudio() throws Exception {
        byte[] ts = encode("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "1", "-c:v", "libx264",
                "-preset", "ultrafast");

        assertThat(MediaFormat.probe(TestPool.TOOLS, "ffprobe", dir, ts)).isEqualTo(new MediaFormat(320, 180, 25, Optional.empty()));
    }

    @Test
    void probeOfAnAudioOnlySegmentFailsForLackOfVideo() throws Exception {
        byte[] ts = encode("-f", "lavfi", "-i", "sine", "-t", "1", "-c:a", "aac");

        assertThatThrownBy(() -> MediaFormat.probe(TestPool.TOOLS, "ffprobe", dir, ts))
                .isInstanceOf(IOException.class).hasMessageContaining("no video stream");
    }

    @Test
    void probeOfBytesThatAreNotMediaFailsWithFfprobesReason() {
        byte[] garbage = "this is not a transport stream".repeat(100).getBytes();

        assertThatThrownBy(() -> MediaFormat.probe(TestPool.TOOLS, "ffprobe", dir, garbage))
                .isInstanceOf(IOException.class).hasMessageContaining("ffprobe exited with 1: file:" + dir);
    }

    @Test
    void oddOrEmptySizesAndOutOfRangeRatesAreRefused() {
        assertThatThrownBy(() -> new MediaFormat(321, 180, 25, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("321x180");
        assertThatThrownBy(() -> new MediaFormat(0, 180, 25, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x180");
        assertThatThrownBy(() -> new MediaFormat(320, 180, Double.NaN, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fps");
        assertThatThrownBy(() -> new MediaFormat.Audio(48_000, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9 channels");
    }

    private byte[] encode(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "sample", ".ts");
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-f";
        all[args.length + 1] = "mpegts";
        all[args.length + 2] = out.toString();
        Tools.ffmpeg(all);
        return Files.readAllBytes(out);
    }
}
