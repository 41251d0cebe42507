package dev.headend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.config.ConfigException;
import dev.headend.support.TestPool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    @TempDir
    Path dir;

    @Test
    void aMissingToolStopsTheStartWithWhatToDo() {
        assertThatThrownBy(() -> Preflight.checkTools(TestPool.TOOLS, dir.resolve("no-ffmpeg").toString(), "/bin/true",
                dir)).isInstanceOf(ConfigException.class).hasMessageContaining("no-ffmpeg")
                .hasMessageContaining("apt-get install -y ffmpeg").hasMessageContaining("HEADEND_FFMPEG");
    }

    @Test
    void aToolThatFailsStopsTheStartToo() {
        // both run at once; the report names the one that failed
        assertThatThrownBy(() -> Preflight.checkTools(TestPool.TOOLS, "/bin/true", "/bin/false", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'/bin/false -version' failed");
    }
}
