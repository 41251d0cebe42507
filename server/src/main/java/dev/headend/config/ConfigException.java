package dev.headend.config;

/** A configuration that cannot be used; the message names the setting or channel at fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
