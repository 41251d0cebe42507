package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    @TempDir
    Path dir;

    @Test
    void aToolIsFoundAtItsPathOrByNameOnThePath() throws Exception {
        Path tool = Files.createFile(dir.resolve("ffmpeg"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(Preflight.executable(tool.toString(), null)).contains(tool);
        assertThat(Preflight.executable("ffmpeg", "/nonexistent:" + dir)).contains(tool);
        assertThat(Preflight.executable("ffmpeg", "/nonexistent")).isEmpty();
        assertThat(Preflight.executable("ffmpeg", null)).isEmpty();
    }

    @Test
    void aFileThatCannotRunOrADirectoryIsNoTool() throws Exception {
        Path plain = Files.createFile(dir.resolve("ffprobe"));
        Files.createDirectory(dir.resolve("ffmpeg"));

        assertThat(Preflight.executable(plain.toString(), null)).isEmpty();
        assertThat(Preflight.executable("ffmpeg", dir.toString())).isEmpty();
        assertThat(Preflight.executable("ffmpeg\0", dir.toString())).isEmpty();
    }

    @Test
    void aMissingToolStopsTheStartWithWhatToDo() {
        assertThatThrownBy(() -> Preflight.requireTools(dir.resolve("no-ffmpeg").toString(), "ffprobe"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no-ffmpeg")
                .hasMessageContaining("apt-get install -y ffmpeg").hasMessageContaining("HEADEND_FFMPEG");
    }
}
