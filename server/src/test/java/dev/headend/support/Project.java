package dev.headend.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project checkout (README, configuration examples), wherever the tests run from. */
public final class Project {
    private Project() {}

    /** The checkout's root: the nearest directory upwards holding README.md and config/. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("config"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
    }

    /** A file of the checkout, by its path from the root. */
    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
