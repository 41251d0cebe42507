package dev.headend.reload;

import dev.headend.stream.Reconfiguration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one configuration reload.
 *
 * @param restartRequired keys of server settings whose value in the file (or environment)
 *     differs from the running one: they take effect only when the server is restarted
 */
public record ReloadReport(Instant at, Path file, Reconfiguration channels, List<String> restartRequired) {
    public ReloadReport {
        restartRequired = List.copyOf(restartRequired);
    }
}
