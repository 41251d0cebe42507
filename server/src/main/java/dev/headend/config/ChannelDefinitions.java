package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.Channel;
import java.nio.file.Path;

/**
 * Reads channel definitions given outside the configuration file (through the API) exactly as
 * the file's {@code channels:} entries are read: same keys, same validation, same messages, the
 * file's {@code slate:} defaults, relative {@code file:} paths resolved against the file's
 * directory. Environment variables ({@code ${NAME}}) are not expanded: only the file may read
 * the server's environment.
 */
public final class ChannelDefinitions {
    private final Path baseDir;
    private final SlateParser.Settings slateDefaults;

    ChannelDefinitions(Path baseDir, SlateParser.Settings slateDefaults) {
        this.baseDir = baseDir;
        this.slateDefaults = slateDefaults;
    }

    /**
     * The channel a JSON object defines.
     *
     * @throws ConfigException saying what is wrong, in the words the configuration file's check uses
     */
    public Channel parse(JsonNode node) {
        return ChannelParser.parse(node, "the channel", baseDir, slateDefaults);
    }
}
