package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.headend.support.ToolRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only a regular file is read as a configuration: everything else is refused at once, with the
 * reason, before it is opened (a named pipe would otherwise block the reader until a writer
 * comes, which may be never).
 */
class ConfigFileTest {
    /** Far below {@link ConfigFile#READ_TIMEOUT}: a refusal must not wait for anything. */
    private static final Duration PROMPT = Duration.ofSeconds(3);
    private static final String CONFIG = "channels:\n  - id: cam\n    source: \"test:\"\n";

    @TempDir
    Path dir;

    @Test
    void aRegularFileLoads() throws IOException {
        Path file = Files.writeString(dir.resolve("headend.yml"), CONFIG);

        assertThat(load(file).channels()).hasSize(1);
    }

    @Test
    void aSymbolicLinkToARegularFileLoads() throws IOException {
        Path target = Files.writeString(dir.resolve("real.yml"), CONFIG);
        Path link = Files.createSymbolicLink(dir.resolve("headend.yml"), target);

        assertThat(load(link).channels()).hasSize(1);
    }

    @Test
    void aNamedPipeIsRefusedWithoutBlocking() throws Exception {
        Path fifo = mkfifo(dir.resolve("headend.yml"));

        assertRefused(fifo, "is a named pipe (FIFO); give the path of a regular file");
    }

    @Test
    void aSymbolicLinkToANamedPipeIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("headend.yml"), mkfifo(dir.resolve("pipe")));

        assertRefused(link, "is a named pipe (FIFO)");
    }

    @Test
    void aDirectoryIsRefused() {
        assertRefused(dir, "is a directory; give the path of a regular file");
    }

    @Test
    void aDeviceIsRefused() {
        assertRefused(Path.of("/dev/zero"), "/dev/zero is a character device; give the path of a regular file");
    }

    @Test
    void aMissingFileIsRefused() {
        assertRefused(dir.resolve("missing.yml"), "configuration file not found: ", "missing.yml");
    }

    @Test
    void anUnreadableFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("headend.yml"), CONFIG);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assumeThat(Files.isReadable(file)).as("root reads any file").isFalse();

        assertRefused(file, "cannot read configuration file", "permission denied");
    }

    @Test
    void aFileLargerThanTheLimitIsRefused() throws IOException {
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, CONFIG + "#".repeat(ConfigFile.MAX_BYTES) + "\n");

        assertRefused(file, "is larger than 1024 KiB");
    }

    @Test
    void aFileOfExactlyTheLimitLoads() throws IOException {
        Path file = dir.resolve("headend.yml");
        String comments = ("#" + "-".repeat(62) + "\n").repeat((ConfigFile.MAX_BYTES - CONFIG.length()) / 64);
        Files.writeString(file, CONFIG + comments + "#".repeat(ConfigFile.MAX_BYTES - CONFIG.length() - comments.length()));

        assertThat(Files.size(file)).isEqualTo(ConfigFile.MAX_BYTES);
        assertThat(load(file).channels()).hasSize(1);
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws IOException {
        Path file = dir.resolve("headend.yml");
        Files.write(file, "channels:\n  - id: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertRefused(file, "is not UTF-8 text");
    }

    private static HeadendConfig load(Path file) {
        return new ConfigLoader(Map.of()).load(file);
    }

    private static void assertRefused(Path file, String... messageParts) {
        assertTimeoutPreemptively(PROMPT, () -> assertThatThrownBy(() -> load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll(messageParts));
    }

    /** Creates a named pipe with mkfifo(1): the JDK cannot make one. */
    private static Path mkfifo(Path path) throws IOException, InterruptedException {
        ToolRun.succeed("mkfifo", path.toString());
        return path;
    }
}
