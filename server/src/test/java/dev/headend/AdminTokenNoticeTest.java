package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.security.AdminToken;
import dev.headend.security.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console shows a generated token once (and at every demo start), never a configured one. */
class AdminTokenNoticeTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedTokenIsShownOnceWithWhereToReadItAgain() throws IOException {
        AdminToken first = AdminToken.resolve(Optional.empty(), dir);
        AdminToken later = AdminToken.resolve(Optional.empty(), dir);
        Path file = dir.resolve("admin-token");

        assertThat(Headend.adminTokenNotice(first, HeadendServer.Mode.SERVE))
                .contains(first.secret().reveal(), "generated now", "cat " + file);
        assertThat(Headend.adminTokenNotice(later, HeadendServer.Mode.SERVE))
                .doesNotContain(later.secret().reveal()).contains("cat " + file);
        assertThat(Headend.adminTokenNotice(later, HeadendServer.Mode.DEMO)).contains(later.secret().reveal());
    }

    @Test
    void aConfiguredTokenIsNeverShown() throws IOException {
        AdminToken configured = AdminToken.resolve(Optional.of(Secret.of("configured-token-123")), dir);

        for (HeadendServer.Mode mode : HeadendServer.Mode.values()) {
            assertThat(Headend.adminTokenNotice(configured, mode)).doesNotContain("configured-token-123")
                    .contains("HEADEND_ADMIN_TOKEN");
        }
    }
}
