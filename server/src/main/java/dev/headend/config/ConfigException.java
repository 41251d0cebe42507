package dev.headend.config;

import java.util.Optional;

/** A configuration that cannot be used; the message names the setting or channel at fault. */
public final class ConfigException extends RuntimeException {
    private final transient Setting setting;

    public ConfigException(String message) {
        this(message, null);
    }

    /** A problem with one server setting's value. */
    public ConfigException(String message, Setting setting) {
        super(message);
        this.setting = setting;
    }

    /** The server setting at fault, when the problem is one setting's value. */
    public Optional<Setting> setting() {
        return Optional.ofNullable(setting);
    }
}
