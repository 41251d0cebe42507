package dev.headend.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run: the argument vector (never passed through a shell), the working directory, extra
 * environment variables, and the channel (or task) it is for, which names it in logs.
 */
public record ProcessSpec(String name, List<String> command, Path workDir, Map<String, String> environment) {
    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command for " + name);
        }
    }
}
