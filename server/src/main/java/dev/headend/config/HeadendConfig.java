package dev.headend.config;

import dev.headend.channel.Channel;
import dev.headend.events.WebhookTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated configuration: server settings, channel definitions, webhook receivers
 * (read at start; a reload does not change them) and the file they
 * came from (empty for a configuration from the environment only, which cannot be reloaded).
 */
public record HeadendConfig(ServerSettings settings, List<Channel> channels, List<WebhookTarget> webhooks,
        Optional<Path> file) {}
