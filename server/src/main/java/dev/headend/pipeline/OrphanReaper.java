package dev.headend.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Pids of live processes carrying {@code MARKER=owner}, excluding this JVM: pipelines and tool runs. */
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

    /** Pids of live pipeline processes (not tool runs) carrying {@code MARKER=owner}. */
    public static List<Long> findPipelines(String owner) {
        byte[] prefix = (FfmpegLauncher.CHANNEL_VARIABLE + "=").getBytes(StandardCharsets.UTF_8);
        return find(owner).stream().filter(pid -> hasEntryStartingWith(PROC.resolve(pid + "/environ"), prefix))
                .toList();
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
        return anyEntry(environ, needle, true);
    }

    private static boolean hasEntryStartingWith(Path environ, byte[] prefix) {
        return anyEntry(environ, prefix, false);
    }

    /** Whether an entry of the NUL-separated {@code environ} file is {@code bytes} (or starts with them). */
    private static boolean anyEntry(Path environ, byte[] bytes, boolean whole) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                int length = i - start;
                boolean fits = whole ? length == bytes.length : length >= bytes.length;
                if (fits && Arrays.equals(env, start, start + bytes.length, bytes, 0, bytes.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
