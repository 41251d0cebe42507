package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.config.ConfigException;
import dev.headend.support.TestPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    @TempDir
    Path dir;

    @Test
    void aMissingOrFailingFfmpegStopsTheStartWithWhatToDo() {
        assertThatThrownBy(() -> Preflight.checkTools(TestPool.TOOLS, dir.resolve("no-ffmpeg").toString(), "/bin/true",
                dir)).isInstanceOf(ConfigException.class).hasMessageContaining("no-ffmpeg")
                .hasMessageContaining("apt-get install -y ffmpeg").hasMessageContaining("HEADEND_FFMPEG");
        assertThatThrownBy(() -> Preflight.checkTools(TestPool.TOOLS, "/bin/false", "/bin/true", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'/bin/false -version' failed");
    }

    @Test
    void aMissingFfprobeStopsTheStartToo() {
        assertThatThrownBy(() -> Preflight.checkTools(TestPool.TOOLS, "/bin/true", dir.resolve("ffprobe").toString(),
                dir)).isInstanceOf(ConfigException.class).hasMessageContaining(dir.resolve("ffprobe").toString());
    }

    @Test
    void ffprobeIsFoundAtItsPathOrByNameOnThePath() throws Exception {
        Path tool = Files.createFile(dir.resolve("ffprobe"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path plain = Files.createFile(dir.resolve("plain"));
        Files.createDirectory(dir.resolve("ffmpeg"));

        assertThat(Preflight.executable(tool.toString(), null)).contains(tool);
        assertThat(Preflight.executable("ffprobe", "/nonexistent:" + dir)).contains(tool);
        assertThat(Preflight.executable("ffprobe", "/nonexistent")).isEmpty();
        assertThat(Preflight.executable("ffprobe", null)).isEmpty();
        assertThat(Preflight.executable(plain.toString(), null)).as("not executable").isEmpty();
        assertThat(Preflight.executable("ffmpeg", dir.toString())).as("a directory").isEmpty();
        assertThat(Preflight.executable("ffprobe\0", dir.toString())).isEmpty();
    }
}
