package dev.headend.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Reads one YAML document into a tree, with the YAML features Jackson's tree reader gets wrong
 * done right: an alias ({@code *name}) stands for a copy of the node its anchor ({@code &name})
 * marks (Jackson gives the alias's name as a string), and a merge key ({@code <<: *defaults} or
 * {@code <<: [*a, *b]}) adds the entries of the merged mappings that the mapping does not set
 * itself (the first merged mapping wins among them). Scalars are read as Jackson reads them.
 *
 * <p>Refused, with the line: an alias to an anchor not defined before it (which includes an
 * alias inside its own anchor's node), a document that would grow beyond {@link #MAX_NODES}
 * nodes once its aliases are expanded ("billion laughs"), nesting deeper than {@link
 * #MAX_DEPTH}, a key given twice in one mapping, more than one document, binary values.
 */
final class YamlTree {
    /** Nodes a document may have with its aliases expanded: real configurations have a few thousand. */
    static final int MAX_NODES = 200_000;
    static final int MAX_DEPTH = 50;
    private static final String MERGE_KEY = "<<";
    private static final YAMLFactory YAML = new AnchoringFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A node an anchor marks, with the number of nodes it counts for. */
    private record Anchored(JsonNode node, int size) {}

    private final AnchoringParser parser;
    private final String origin;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int nodes;

    private YamlTree(AnchoringParser parser, String origin) {
        this.parser = parser;
        this.origin = origin;
    }

    /**
     * The document's tree, {@link MissingNode} for an empty one.
     *
     * @throws ConfigException naming {@code origin} and the line when the text cannot be used
     */
    static JsonNode read(String yaml, String origin) {
        try (AnchoringParser parser = (AnchoringParser) YAML.createParser(new StringReader(yaml))) {
            YamlTree tree = new YamlTree(parser, origin);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode root = tree.value(first, 0);
            if (parser.nextToken() != null) {
                throw tree.refuse("a second YAML document starts here; a configuration is one document");
            }
            return root;
        } catch (JacksonException e) {
            throw new ConfigException("invalid YAML in " + origin + ": " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a string", e);
        }
    }

    private JsonNode value(JsonToken token, int depth) throws IOException {
        if (parser.isCurrentAlias()) {
            return alias(parser.getText());
        }
        String anchor = parser.anchor();
        int before = nodes;
        JsonNode node = switch (token) {
            case START_OBJECT -> object(depth + 1);
            case START_ARRAY -> array(depth + 1);
            case VALUE_STRING -> count(NODES.textNode(parser.getText()));
            case VALUE_NUMBER_INT -> count(switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            });
            case VALUE_NUMBER_FLOAT -> count(NODES.numberNode(parser.getDoubleValue()));
            case VALUE_TRUE, VALUE_FALSE -> count(NODES.booleanNode(token == JsonToken.VALUE_TRUE));
            case VALUE_NULL -> count(NODES.nullNode());
            default -> throw refuse("binary values (!!binary) cannot be used in a configuration");
        };
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, nodes - before));
        }
        return node;
    }

    private JsonNode alias(String name) {
        Anchored target = anchors.get(name);
        if (target == null) {
            throw refuse("alias *" + name + " has no anchor &" + name + " before it (an alias cannot stand"
                    + " for the mapping or list it is inside)");
        }
        add(target.size());
        return target.node().deepCopy();
    }

    private ObjectNode object(int depth) throws IOException {
        checkDepth(depth);
        ObjectNode object = count(NODES.objectNode());
        List<JsonNode> merged = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (object.has(key) || MERGE_KEY.equals(key) && !merged.isEmpty()) {
                throw refuse("key '" + key + "' appears twice in the same mapping");
            }
            JsonNode value = value(parser.nextToken(), depth);
            if (MERGE_KEY.equals(key)) {
                merged.addAll(mergedMappings(value));
            } else {
                object.set(key, value);
            }
        }
        expect(token, JsonToken.END_OBJECT);
        for (JsonNode mapping : merged) {
            for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!object.has(e.getKey())) {
                    object.set(e.getKey(), e.getValue());
                }
            }
        }
        return object;
    }

    /** The mappings a merge key's value names: one mapping, or a list of them. */
    private List<JsonNode> mergedMappings(JsonNode value) {
        List<JsonNode> mappings = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(mappings::add);
        } else {
            mappings.add(value);
        }
        if (mappings.isEmpty() || !mappings.stream().allMatch(JsonNode::isObject)) {
            throw refuse("a merge key (<<) takes a mapping or a list of mappings, as in '<<: *defaults'");
        }
        return mappings;
    }

    private ArrayNode array(int depth) throws IOException {
        checkDepth(depth);
        ArrayNode array = count(NODES.arrayNode());
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            array.add(value(token, depth));
        }
        expect(token, JsonToken.END_ARRAY);
        return array;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw refuse("mappings and lists are nested more than " + MAX_DEPTH + " deep");
        }
    }

    private void expect(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw refuse("the YAML ends in the middle of a mapping or list");
        }
    }

    private <T extends JsonNode> T count(T node) {
        add(1);
        return node;
    }

    private void add(int count) {
        nodes += count;
        if (nodes > MAX_NODES) {
            throw refuse("with its aliases expanded the document has more than " + MAX_NODES
                    + " values; write the repeated parts out, or use fewer aliases of aliases");
        }
    }

    /** The error for what the parser is at: the origin, the line, what is wrong. */
    private ConfigException refuse(String message) {
        return new ConfigException(origin + ", line " + parser.currentTokenLocation().getLineNr() + ": " + message);
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    /** Makes {@link AnchoringParser}s. */
    private static final class AnchoringFactory extends YAMLFactory {
        @Override
        protected YAMLParser _createParser(Reader reader, IOContext context) {
            return new AnchoringParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                    reader);
        }
    }

    /** A parser that tells the anchor of any value; Jackson's tells it for mappings and lists only. */
    private static final class AnchoringParser extends YAMLParser {
        AnchoringParser(IOContext context, int features, int yamlFeatures, LoaderOptions options, ObjectCodec codec,
                Reader reader) {
            super(context, features, yamlFeatures, options, codec, reader);
        }

        /** The anchor of the value (mapping, list or scalar) just read, or null; undefined for an alias. */
        String anchor() {
            return _lastEvent instanceof NodeEvent node ? node.getAnchor() : null;
        }
    }
}
