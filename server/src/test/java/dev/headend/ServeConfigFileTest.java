package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ToolRun;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headend serve --config FILE} reads its file by the same rules as a reload: a path that
 * is not a regular file ends the command at once with exit status 2 and the reason, before
 * anything starts (so the test needs neither FFmpeg nor a port).
 */
class ServeConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void aNamedPipeEndsServeAtOnceWithTheReason() throws Exception {
        Path fifo = dir.resolve("headend.yml");
        ToolRun.succeed("mkfifo", fifo.toString());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.headend.Headend", "serve", "--config", fifo.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        try {
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve ended").isTrue();
            assertThat(serve.exitValue()).isEqualTo(2);
            assertThat(new String(serve.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("headend: configuration file " + fifo + " is a named pipe (FIFO)");
        } finally {
            serve.destroyForcibly();
        }
    }
}
