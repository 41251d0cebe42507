package dev.headend.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds FFmpeg processes left behind by an earlier run of this server that died without
 * stopping them, and ends them. A pipeline is recognised by the marker variable in its
 * environment ({@link #MARKER}={@code owner}), where the owner is the server's data directory,
 * so two servers with different data directories never touch each other's processes.
 */
public final class OrphanReaper {
    /** Environment variable set on every pipeline process. */
    public static final String MARKER = "HEADEND_PIPELINE_OWNER";
    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);
    private static final Path PROC = Path.of("/proc");

    private OrphanReaper() {}

    /** Pids of live processes carrying {@code MARKER=owner}, excluding this JVM. */
    public static List<Long> find(String owner) {
        byte[] needle = (MARKER + "=" + owner).getBytes(StandardCharsets.UTF_8);
        List<Long> pids = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid != self && hasEntry(dir.resolve("environ"), needle)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            log.warn("cannot scan /proc for orphaned pipelines: {}", e.getMessage());
        }
        return pids;
    }

    /**
     * Ends every orphaned pipeline of {@code owner}: SIGTERM to its group, SIGKILL to what is
     * still alive after a grace period. Returns how many were found.
     */
    public static int reap(String owner) {
        List<Long> pids = find(owner);
        for (long pid : pids) {
            ProcessGroups.terminate(pid);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    ProcessGroups.kill(pid);
                }
            });
        }
        return pids.size();
    }

    private static boolean hasEntry(Path environ, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
