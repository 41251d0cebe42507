package dev.headend.reload;

import dev.headend.stream.Reconfiguration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one configuration reload.
 *
 * @param appliedLive keys of live server settings whose value in effect the reload changed
 * @param restartRequired keys of server settings whose wanted value differs from the one the
 *     server started with: they take effect only when the server is restarted
 */
public record ReloadReport(Instant at, Path file, Reconfiguration channels, List<String> appliedLive,
        List<String> restartRequired) {
    public ReloadReport {
        appliedLive = List.copyOf(appliedLive);
        restartRequired = List.copyOf(restartRequired);
    }
}
