package dev.headend.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path dir;

    @Test
    void aTokenIsGeneratedOnceReadableOnlyByItsOwnerAndKeptAcrossStarts() throws IOException {
        Path data = dir.resolve("data");
        AdminToken first = AdminToken.resolve(Optional.empty(), data);
        Path file = data.resolve("admin-token");

        assertThat(first.generated()).isTrue();
        assertThat(first.origin()).isEqualTo(AdminToken.Origin.DATA_DIR);
        assertThat(first.file()).contains(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).strip()).isEqualTo(first.secret().reveal()).hasSize(43);

        AdminToken second = AdminToken.resolve(Optional.empty(), data);
        assertThat(second.generated()).isFalse();
        assertThat(second.secret()).isEqualTo(first.secret());
        assertThat(AdminToken.resolve(Optional.empty(), dir.resolve("other")).secret())
                .as("another install gets another token").isNotEqualTo(first.secret());
    }

    @Test
    void aConfiguredTokenWinsAndNoFileIsWritten() throws IOException {
        AdminToken token = AdminToken.resolve(Optional.of(Secret.of("configured-token-123")), dir);

        assertThat(token.origin()).isEqualTo(AdminToken.Origin.CONFIGURED);
        assertThat(token.secret().matches("configured-token-123")).isTrue();
        assertThat(token.file()).isEmpty();
        assertThat(dir.resolve("admin-token")).doesNotExist();
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedAndLeftAsItIs() throws IOException {
        Path file = dir.resolve("admin-token");
        Files.writeString(file, "a-token-that-is-long-enough\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> AdminToken.resolve(Optional.empty(), dir)).isInstanceOf(IOException.class)
                .hasMessage(file + " can be read by other users (mode rw-r--r--); run chmod 600 on it");
        assertThat(Files.readString(file)).isEqualTo("a-token-that-is-long-enough\n");
    }

    @Test
    void aTokenFileThatIsNotARegularFileOrTooShortIsRefused() throws IOException {
        Files.createDirectory(dir.resolve("admin-token"));
        assertThatThrownBy(() -> AdminToken.resolve(Optional.empty(), dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a regular file");

        Path other = dir.resolve("short");
        Files.createDirectory(other);
        Path file = other.resolve("admin-token");
        Files.writeString(file, "short\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> AdminToken.resolve(Optional.empty(), other)).isInstanceOf(IOException.class)
                .hasMessage("the admin token in " + file + " must be at least 16 characters long;"
                        + " remove the file to have a new one generated");
    }
}
