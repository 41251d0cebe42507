package dev.headend.settings;

import java.util.List;
import java.util.stream.Collectors;

/** Values refused through the API; nothing was changed. */
public final class InvalidSettingsException extends RuntimeException {
    private final transient List<SettingsInput.Problem> problems;

    public InvalidSettingsException(List<SettingsInput.Problem> problems) {
        super(problems.stream().map(SettingsInput.Problem::message).collect(Collectors.joining("; ")), null, false,
                false);
        this.problems = List.copyOf(problems);
    }

    /** Every refused key, in the order asked. */
    public List<SettingsInput.Problem> problems() {
        return problems;
    }
}
