package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.headend.channel.Channel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the YAML configuration. Precedence for each server setting: environment variable,
 * then the file's {@code server:} section, then the default (values set through the API, kept in
 * the store, go over these when the server starts). Unknown keys are errors, so a typo never
 * silently falls back to a default.
 */
public final class ConfigLoader {
    private static final Set<String> TOP_LEVEL = Set.of("server", "cluster", "slate", "channels", "templates",
            "webhooks");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /**
     * Loads a configuration file: a regular UTF-8 file of at most 1 MiB, read within a bounded
     * time (see {@link ConfigFile}); anything else is a {@link ConfigException} saying why.
     */
    public HeadendConfig load(Path file) {
        return parse(ConfigFile.read(file), file.toString(), file.toAbsolutePath().normalize());
    }

    /** Configuration from the environment only, with no channels. */
    public HeadendConfig environmentOnly() {
        MissingNode none = MissingNode.getInstance();
        return new HeadendConfig(settings(none, none), List.of(), List.of(), Optional.empty(), List.of(),
                new ChannelDefinitions(Path.of("").toAbsolutePath(), SlateParser.Settings.DEFAULT));
    }

    /**
     * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in every string value of the parsed
     * document with environment values, so secrets and ports can stay out of the file. Comments
     * and keys are never expanded, and a substituted value can never change the YAML structure.
     * A reference to an unset variable without a default is an error.
     */
    private JsonNode expandValues(JsonNode node, String origin) {
        if (node.isTextual()) {
            String text = node.textValue();
            return text.contains("${") ? TextNode.valueOf(expand(text, origin)) : node;
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(expandValues(e.getValue(), origin));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, expandValues(array.get(i), origin));
            }
        }
        return node;
    }

    private String expand(String text, String origin) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                value = m.group(2);
            }
            if (value == null) {
                throw new ConfigException(origin + ": environment variable " + m.group(1)
                        + " is not set (write ${" + m.group(1) + ":-default} to give a default)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Parses the text of {@code file} (absolute); relative paths in it are resolved against the
     * file's directory, and {@code origin} names it in error messages.
     */
    HeadendConfig parse(String yaml, String origin, Path file) {
        Path baseDir = file.getParent();
        JsonNode root = YamlTree.read(yaml, origin);
        if (root.isMissingNode() || root.isNull()) {
            root = MissingNode.getInstance();
        } else if (!root.isObject()) {
            throw new ConfigException(origin
                    + ": the top level must be a mapping with 'server', 'slate' and 'channels'");
        }
        root = expandValues(root, origin);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                throw new ConfigException(origin + ": unknown top-level key '" + key
                        + "' (expected server, cluster, slate, channels, templates, webhooks)");
            }
        }
        ServerSettings settings = settings(root.path("server"), root.path("cluster"));
        SlateParser.Settings slate = SlateParser.parse(root.get("slate"), SlateParser.Settings.DEFAULT, "slate", baseDir);
        return new HeadendConfig(settings, channels(root.path("channels"), origin, baseDir, slate),
                WebhookParser.parse(root.get("webhooks")), Optional.of(file),
                TemplateParser.parse(root.get("templates"), origin, baseDir, slate),
                new ChannelDefinitions(baseDir, slate));
    }

    /**
     * The file's settings: those under {@code server:}, and the cluster's ({@link Setting.Part#CLUSTER})
     * also under {@code cluster:}; a setting written in both is an error.
     */
    private ServerSettings settings(JsonNode server, JsonNode cluster) {
        Map<Setting, String> file = new EnumMap<>(Setting.class);
        section(server, "server", file, s -> true);
        section(cluster, "cluster", file, s -> s.part() == Setting.Part.CLUSTER);
        Map<Setting, String> environment = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String value = env.get(s.envVar());
            if ((value == null || value.isBlank()) && s.envAlias().isPresent()) {
                value = env.get(s.envAlias().get());
            }
            if (value != null && !value.isBlank()) {
                environment.put(s, value);
            }
        }
        return ServerSettings.resolve(file, environment);
    }

    private static void section(JsonNode node, String name, Map<Setting, String> file,
            Predicate<Setting> allowed) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new ConfigException("'" + name + "' must be a mapping of settings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Setting s = Setting.byKey(e.getKey()).filter(allowed)
                    .orElseThrow(() -> new ConfigException(name + ": unknown setting '" + e.getKey() + "'"));
            if (!e.getValue().isValueNode()) {
                throw new ConfigException(name + ": setting " + s.key() + " must be a single value");
            }
            if (file.containsKey(s)) {
                throw new ConfigException(name + ": setting " + s.key() + " is also under server:; write it once");
            }
            file.put(s, e.getValue().isNull() ? "" : e.getValue().asText());
        }
    }

    private static List<Channel> channels(JsonNode node, String origin, Path baseDir, SlateParser.Settings slate) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(origin + ": 'channels' must be a list");
        }
        List<Channel> channels = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode c : node) {
            Channel channel = ChannelParser.parse(c, index++, baseDir, slate);
            if (!ids.add(channel.id())) {
                throw new ConfigException("channel " + channel.id() + " is defined twice");
            }
            channels.add(channel);
        }
        return List.copyOf(channels);
    }
}
