package dev.headend.config;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelTemplate;
import dev.headend.events.WebhookTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated configuration: server settings, channel definitions, webhook receivers
 * (read at start; a reload does not change them) and the file they
 * came from (empty for a configuration from the environment only, which cannot be reloaded);
 * the templates of on-demand channels, and the reader of channel definitions given through the
 * API (with this configuration's slate defaults and base directory).
 */
public record HeadendConfig(ServerSettings settings, List<Channel> channels, List<WebhookTarget> webhooks,
        Optional<Path> file, List<ChannelTemplate> templates, ChannelDefinitions definitions) {}
