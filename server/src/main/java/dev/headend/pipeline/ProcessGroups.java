package dev.headend.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals whole process groups. Java can only signal single processes, so group signals go
 * through the system {@code kill} command (an argument list, no shell). Each pipeline is a
 * group leader (started through {@code setsid}), so its group id is its pid.
 */
public final class ProcessGroups {
    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);

    private ProcessGroups() {}

    /** Sends SIGTERM to the group; falls back to the leader alone if {@code kill} fails. */
    public static void terminate(long pgid) {
        if (!signal(pgid, "TERM")) {
            ProcessHandle.of(pgid).ifPresent(ProcessHandle::destroy);
        }
    }

    /** Sends SIGKILL to the group; falls back to the leader alone if {@code kill} fails. */
    public static void kill(long pgid) {
        if (!signal(pgid, "KILL")) {
            ProcessHandle.of(pgid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean signal(long pgid, String signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        try {
            Process p = new ProcessBuilder(List.of("kill", "-s", signal, "--", "-" + pgid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            log.warn("cannot run kill for process group {}: {}", pgid, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
