package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HDHomeRun device ids: the check digit, and one stable id per install. */
class DeviceIdTest {
    /** libhdhomerun's check, written independently: every nibble, odd-placed ones through the table, XOR to 0. */
    private static boolean libhdhomerunAccepts(int id) {
        int[] table = {0xA, 0x5, 0xF, 0x6, 0x7, 0xC, 0x1, 0xB, 0x9, 0x2, 0x8, 0xD, 0x4, 0x3, 0xE, 0x0};
        int checksum = 0;
        for (int i = 0; i < 8; i++) {
            int nibble = (id >>> (28 - 4 * i)) & 0xF;
            checksum ^= i % 2 == 0 && i < 7 ? table[nibble] : nibble;
        }
        return checksum == 0;
    }

    @Test
    void derivedIdsPassTheHdHomeRunCheckAndAreEightUpperCaseHexDigits() {
        for (int i = 0; i < 1000; i++) {
            DeviceId id = DeviceId.of("install-" + i);

            assertThat(libhdhomerunAccepts(id.value())).as(id.hex()).isTrue();
            assertThat(id.hex()).matches("[0-9A-F]{8}");
        }
    }

    @Test
    void theCheckDigitCatchesEverySingleWrongDigit() {
        int id = DeviceId.of("some install").value();
        for (int position = 0; position < 8; position++) {
            for (int delta = 1; delta < 16; delta++) {
                int typo = id ^ (delta << (4 * position));

                assertThat(DeviceId.valid(typo)).isFalse();
                assertThat(libhdhomerunAccepts(typo)).isFalse();
            }
        }
        assertThatThrownBy(() -> new DeviceId(id ^ 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCheckAgreesWithLibhdhomerunsOnEveryValueTried() {
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 100_000; i++) {
            int id = i < 16 ? i : random.nextInt();

            assertThat(DeviceId.valid(id)).as("%08X", id).isEqualTo(libhdhomerunAccepts(id));
        }
    }

    @Test
    void anInstallKeepsItsIdAcrossStartsAndInstallsDiffer(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("one");
        String id = InstallId.resolve(first);
        String again = InstallId.resolve(first);
        Set<String> devices = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            devices.add(DeviceId.of(InstallId.resolve(dir.resolve("install-" + i))).hex());
        }

        assertThat(again).isEqualTo(id).matches("[0-9a-f]{32}");
        assertThat(DeviceId.of(again)).isEqualTo(DeviceId.of(id));
        assertThat(devices).hasSize(20);
    }

    @Test
    void aDamagedInstallIdFileIsRefusedAndLeftAsItIs(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(InstallId.FILE_NAME), "not an id\n");

        assertThatThrownBy(() -> InstallId.resolve(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not hold an install id");
        assertThat(Files.readString(dir.resolve(InstallId.FILE_NAME))).isEqualTo("not an id\n");
    }
}
