package dev.headend.session;

import java.time.Duration;

/**
 * The settings of viewer sessions, bound from the server settings.
 *
 * @param idle an HLS session ends after this long without a request
 */
public record SessionSettings(Duration idle) {}
