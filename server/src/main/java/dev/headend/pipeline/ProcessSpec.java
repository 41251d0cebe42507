package dev.headend.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to run: the argument vector (never passed through a shell), the working directory, extra
 * environment variables, the channel (or task) it is for, which names it in logs, and what it
 * reads on stdin (nothing, {@code /dev/null}, unless a {@code push:} pipeline's feed).
 */
public record ProcessSpec(String name, List<String> command, Path workDir, Map<String, String> environment,
        Optional<StdinFeed> stdin) {
    public ProcessSpec(String name, List<String> command, Path workDir, Map<String, String> environment) {
        this(name, command, workDir, environment, Optional.empty());
    }

    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command for " + name);
        }
    }
}
