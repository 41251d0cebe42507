package dev.headend.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ToolRun;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NeedsFfmpeg
class TsContinuityTest {
    private static final int VIDEO_PID = 0x100;
    private static final int PMT_PID = 0x1000;
    private static List<byte[]> packets;

    @TempDir
    static Path dir;

    /** Two seconds of MPEG-TS from FFmpeg, with its PMT and first stream PIDs set explicitly. */
    @BeforeAll
    static void encode() throws Exception {
        Path file = dir.resolve("sample.ts");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x90:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "2",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-mpegts_pmt_start_pid", "0x1000",
                "-mpegts_start_pid", "0x100", "-f", "mpegts", file.toString());
        byte[] ts = Files.readAllBytes(file);
        packets = new ArrayList<>();
        for (int i = 0; i + 188 <= ts.length; i += 188) {
            packets.add(Arrays.copyOfRange(ts, i, i + 188));
        }
        assertThat(packets.stream().filter(TsContinuityTest::videoWithPayload).count()).isGreaterThan(40);
    }

    @Test
    void anIntactStreamFedInOddSizedPiecesHasNoJump() {
        assertThat(jumps(packets, 1000)).isZero();
    }

    @Test
    void aLostVideoPacketIsOneJump() {
        List<byte[]> lossy = new ArrayList<>(packets);
        lossy.remove(nthVideoPacket(30));
        assertThat(jumps(lossy, 777)).isEqualTo(1);
    }

    @Test
    void repeatedPatAndPmtAtASegmentStartAndADuplicatePacketAreNoJump() {
        List<byte[]> repeated = new ArrayList<>(packets);
        int at = nthVideoPacket(30);
        repeated.add(at, packets.get(at - 1));
        repeated.add(at, first(0));
        repeated.add(at, first(PMT_PID));
        repeated.add(at, first(0));
        assertThat(pid(packets.get(at - 1))).isIn(VIDEO_PID, VIDEO_PID + 1);
        assertThat(jumps(repeated, 4096)).isZero();
    }

    @Test
    void lostSyncIsAJump() {
        List<byte[]> broken = new ArrayList<>(packets);
        broken.add(nthVideoPacket(10), new byte[] {1, 2, 3});
        assertThat(jumps(broken, 188)).isEqualTo(1);
    }

    private static long jumps(List<byte[]> stream, int piece) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        stream.forEach(all::writeBytes);
        byte[] bytes = all.toByteArray();
        TsContinuity c = new TsContinuity();
        for (int i = 0; i < bytes.length; i += piece) {
            c.accept(bytes, i, Math.min(piece, bytes.length - i));
        }
        return c.jumps();
    }

    private static int nthVideoPacket(int n) {
        int seen = 0;
        for (int i = 0; i < packets.size(); i++) {
            if (videoWithPayload(packets.get(i)) && ++seen == n) {
                return i;
            }
        }
        throw new IllegalStateException("fewer than " + n + " video packets");
    }

    private static byte[] first(int pid) {
        return packets.stream().filter(p -> pid(p) == pid).findFirst().orElseThrow();
    }

    private static boolean videoWithPayload(byte[] p) {
        return pid(p) == VIDEO_PID && (p[3] & 0x10) != 0;
    }

    private static int pid(byte[] p) {
        return (p[1] & 0x1f) << 8 | p[2] & 0xff;
    }
}
