package dev.headend.pipeline;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts child processes the one way the server allows: the argument vector as given (no
 * shell), prefixed with {@code setsid} so the child leads its own process group (signals reach
 * everything it starts), standard input from {@code /dev/null} (a pipe when the spec has a stdin
 * feed), in the spec's working directory
 * with its extra environment.
 */
final class ChildProcesses {
    private static final File DEV_NULL = new File("/dev/null");

    private ChildProcesses() {}

    static Process start(ProcessSpec spec) throws IOException {
        List<String> argv = new ArrayList<>(spec.command().size() + 1);
        argv.add("setsid");
        argv.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(spec.workDir().toFile())
                .redirectInput(spec.stdin().isPresent() ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.from(DEV_NULL));
        pb.environment().putAll(spec.environment());
        return pb.start();
    }
}
