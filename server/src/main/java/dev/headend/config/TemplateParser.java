package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.headend.channel.Channel;
import dev.headend.channel.ChannelTemplate;
import dev.headend.channel.IdPattern;
import dev.headend.channel.InvalidChannelException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configuration file's {@code templates:} list. An entry is a channel entry whose {@code id}
 * is a pattern with one placeholder ({@code cam-{n}}); its {@code name}, {@code source} and
 * {@code sources} may use the placeholder too. Each template is checked at load time by making
 * its channel for a sample value, so a template that loads makes a valid channel for any
 * accepted value.
 *
 * <p>Invariants: the value is substituted into the id and name as it is, and into source URLs
 * URL-encoded and only after the URL's scheme (a template whose scheme could come from a
 * request is refused), so a request can never choose the kind of source, and it never reaches
 * FFmpeg other than inside the URL that follows {@code -i}. Template channels are on demand.
 */
final class TemplateParser {
    /** The value a template is checked with at load time. */
    static final String SAMPLE_VALUE = "sample";

    private TemplateParser() {}

    static List<ChannelTemplate> parse(JsonNode node, String origin, Path baseDir, SlateParser.Settings slate) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(origin + ": 'templates' must be a list");
        }
        List<ChannelTemplate> templates = new ArrayList<>();
        Set<String> patterns = new HashSet<>();
        int index = 0;
        for (JsonNode entry : node) {
            FileTemplate t = template(entry, "templates[" + index++ + "]", baseDir, slate);
            if (!patterns.add(t.pattern().toString())) {
                throw new ConfigException("template " + t.pattern() + " is defined twice");
            }
            templates.add(t);
        }
        return List.copyOf(templates);
    }

    private static FileTemplate template(JsonNode entry, String where, Path baseDir, SlateParser.Settings slate) {
        if (!entry.isObject()) {
            throw new ConfigException(where + " must be a mapping");
        }
        JsonNode id = entry.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new ConfigException(where + " has no id (a pattern such as cam-{n})");
        }
        IdPattern pattern;
        try {
            pattern = IdPattern.parse(id.asText().trim());
        } catch (InvalidChannelException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
        String token = pattern.token();
        String place = "template " + pattern;
        if (!ChannelParser.bool(entry, "on_demand", place).orElse(true)) {
            throw new ConfigException(place + ": a template's channels are made on demand; remove on_demand");
        }
        for (String url : urls(entry)) {
            int placeholder = url.indexOf(token);
            int colon = url.indexOf(':');
            if (placeholder >= 0 && (colon < 0 || placeholder < colon)) {
                throw new ConfigException(place + ": the placeholder " + token + " may only be used after the"
                        + " source's scheme, as in rtsp://10.0.0." + token + "/stream1");
            }
        }
        FileTemplate t = new FileTemplate(pattern, entry.deepCopy(), baseDir, slate);
        try {
            t.channel(SAMPLE_VALUE);
        } catch (InvalidChannelException e) {
            throw new ConfigException(place + " (checked with " + pattern.placeholder() + " = " + SAMPLE_VALUE
                    + "): " + e.getMessage());
        }
        return t;
    }

    /** The source URLs of an entry as written (not checked yet). */
    private static List<String> urls(JsonNode entry) {
        List<String> urls = new ArrayList<>();
        if (entry.path("source").isTextual()) {
            urls.add(entry.get("source").asText());
        }
        if (entry.path("sources").isArray()) {
            entry.get("sources").forEach(s -> urls.add(s.asText()));
        }
        return urls;
    }

    /** A template of the file: its entry, made into a channel per value. */
    private record FileTemplate(IdPattern pattern, JsonNode definition, Path baseDir, SlateParser.Settings slate)
            implements ChannelTemplate {
        @Override
        public Channel channel(String value) {
            String token = pattern.token();
            String id = pattern.prefix() + value + pattern.suffix();
            String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            ObjectNode node = (ObjectNode) definition.deepCopy();
            node.put("id", id);
            if (node.path("name").isTextual()) {
                node.put("name", node.get("name").asText().replace(token, value));
            }
            if (node.path("source").isTextual()) {
                node.put("source", node.get("source").asText().replace(token, encoded));
            }
            if (node.path("sources").isArray()) {
                ArrayNode sources = (ArrayNode) node.get("sources");
                for (int i = 0; i < sources.size(); i++) {
                    if (sources.get(i).isTextual()) {
                        sources.set(i, TextNode.valueOf(sources.get(i).asText().replace(token, encoded)));
                    }
                }
            }
            try {
                return ChannelParser.definition(node, id, baseDir, slate);
            } catch (ConfigException e) {
                throw new InvalidChannelException(e.getMessage());
            }
        }
    }
}
