package dev.headend.security;

import java.time.Duration;
import java.util.Optional;

/**
 * The security settings, bound from the server settings.
 *
 * @param adminToken the configured admin token; empty: the one kept in the data directory
 * @param metricsPublic true: {@code /metrics} needs no token
 * @param playbackSecret when present, playback URLs need a signature made with it
 * @param signedUrlLifetime how long a signed playback URL opens its channel unless asked otherwise
 */
public record SecuritySettings(Optional<Secret> adminToken, boolean metricsPublic, Optional<Secret> playbackSecret,
        Duration signedUrlLifetime) {}
