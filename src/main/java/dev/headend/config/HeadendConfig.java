package dev.headend.config;

import dev.headend.channel.Channel;
import java.util.List;

/** A loaded, validated configuration: server settings and channel definitions. */
public record HeadendConfig(ServerSettings settings, List<Channel> channels) {}
