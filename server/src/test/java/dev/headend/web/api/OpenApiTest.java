package dev.headend.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import dev.headend.events.EventData;
import dev.headend.web.Access;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is structurally valid OpenAPI 3.1, and says about each route what the
 * server does: who may call it (from {@link Access}, the rule the router applies), which path
 * parameters it has, errors in the JSON error shape, and the event types and setting enums the
 * server uses. {@code OpenApiIT} checks that it names exactly the routes the server registers.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]|default");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode doc = OpenApiDocument.read();

    /** One operation of the document. */
    private record Operation(String path, String method, JsonNode pathItem, JsonNode node) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private List<Operation> operations() {
        List<Operation> all = new ArrayList<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(e -> METHODS.contains(e.getKey()))
                .forEach(e -> all.add(new Operation(path.getKey(), e.getKey(), path.getValue(), e.getValue()))));
        return all;
    }

    /** The node a reference names, following references until one is not. */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            assertThat(hops).as("reference loop at %s", node).isLessThan(10);
            current = doc.at(JsonPointer.compile(current.get("$ref").asText().substring(1)));
        }
        return current;
    }

    @Test
    void isOpenApi31WithInfoAndPaths() {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").isTextual()).isTrue();
        assertThat(doc.path("info").path("version").isTextual()).as("info.version is a string").isTrue();
        assertThat(doc.path("paths").isObject()).isTrue();
        assertThat(doc.path("paths").size()).isPositive();
        doc.path("paths").fieldNames().forEachRemaining(p -> assertThat(p).startsWith("/"));
    }

    @Test
    void everyOperationHasResponsesKeyedByStatus() {
        List<Operation> operations = operations();
        assertThat(operations).isNotEmpty();
        for (Operation op : operations) {
            JsonNode responses = op.node().path("responses");
            assertThat(responses.isObject() && !responses.isEmpty()).as("%s has responses", op).isTrue();
            responses.properties().forEach(r -> {
                assertThat(r.getKey()).as("%s response key", op).matches(STATUS);
                assertThat(resolve(r.getValue()).path("description").isTextual())
                        .as("%s %s has a description", op, r.getKey()).isTrue();
            });
        }
    }

    @Test
    void everyReferenceResolvesWithinTheDocument() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).as("a local reference").startsWith("#/");
            assertThat(doc.at(JsonPointer.compile(ref.substring(1))).isMissingNode()).as("%s resolves", ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    assertThat(e.getValue().isTextual()).as("$ref is text").isTrue();
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    @Test
    void pathParametersAreExactlyTheTemplatesOwn() {
        for (Operation op : operations()) {
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = TEMPLATE_PARAMETER.matcher(op.path());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            List<JsonNode> parameters = new ArrayList<>();
            op.pathItem().path("parameters").forEach(parameters::add);
            op.node().path("parameters").forEach(parameters::add);
            for (JsonNode p : parameters) {
                JsonNode parameter = resolve(p);
                assertThat(parameter.path("name").isTextual()).as("%s: a parameter has a name", op).isTrue();
                assertThat(parameter.path("in").asText()).as("%s: %s", op, parameter)
                        .isIn("path", "query", "header", "cookie");
                assertThat(parameter.has("schema")).as("%s: %s has a schema", op, parameter).isTrue();
                if (parameter.path("in").asText().equals("path")) {
                    assertThat(parameter.path("required").asBoolean()).as("%s: path parameters are required", op)
                            .isTrue();
                    declared.add(parameter.path("name").asText());
                }
            }
            assertThat(declared).as("path parameters of %s", op).isEqualTo(inTemplate);
        }
    }

    @Test
    void securityIsWhatTheRouteAccessDemands() throws Exception {
        Map<Access, JsonNode> expected = Map.of(
                Access.ADMIN, JSON.readTree("[{\"adminToken\": []}]"),
                Access.METRICS, JSON.readTree("[{\"adminToken\": []}, {}]"),
                Access.PLAYBACK, JSON.readTree("[{}, {\"playbackSignature\": []}]"),
                Access.OUTPUTS, JSON.readTree("[]"),
                Access.RELAY, JSON.readTree("[{\"adminToken\": []}, {\"relayToken\": []}, {}]"),
                Access.OPEN, JSON.readTree("[]"));
        Set<String> schemes = new HashSet<>();
        doc.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        assertThat(schemes).containsExactlyInAnyOrder("adminToken", "playbackSignature", "relayToken");
        for (Operation op : operations()) {
            JsonNode security = op.node().has("security") ? op.node().get("security") : doc.get("security");
            assertThat(security).as("security of %s (%s)", op, Access.of(op.path()))
                    .isEqualTo(expected.get(Access.of(op.path())));
        }
    }

    @Test
    void operationsBehindTheAdminTokenAnswer401And429() {
        for (Operation op : operations()) {
            Access access = Access.of(op.path());
            if (access == Access.ADMIN || access == Access.METRICS) {
                assertThat(op.node().path("responses").path("401").path("$ref").asText()).as("%s 401", op)
                        .isEqualTo("#/components/responses/Unauthorized");
                assertThat(op.node().path("responses").path("429").path("$ref").asText()).as("%s 429", op)
                        .isEqualTo("#/components/responses/TooManyFailures");
            }
        }
    }

    @Test
    void everyErrorAnswerHasTheJsonErrorShape() {
        for (Operation op : operations()) {
            op.node().path("responses").properties().stream()
                    .filter(r -> r.getKey().startsWith("4") || r.getKey().startsWith("5"))
                    .forEach(r -> assertThat(resolve(r.getValue()).path("content").path("application/json")
                            .path("schema").path("$ref").asText())
                            .as("%s %s", op, r.getKey()).isEqualTo("#/components/schemas/Error"));
        }
    }

    @Test
    void eventTypesAreTheServersOwn() {
        assertThat(texts(doc.at("/components/schemas/EventType/enum"))).isEqualTo(EventData.TYPES);
    }

    @Test
    void settingEnumsAreTheServersOwn() {
        JsonNode setting = doc.at("/components/schemas/Setting/properties");
        assertThat(texts(setting.at("/group/enum"))).isEqualTo(labels(Setting.Part.values(), Setting.Part::label));
        assertThat(texts(setting.at("/applies/enum")))
                .isEqualTo(labels(Setting.Applies.values(), Setting.Applies::label));
        assertThat(texts(setting.at("/kind/enum")))
                .isEqualTo(labels(Setting.Kind.values(), k -> k.name().toLowerCase(Locale.ROOT)));
        assertThat(texts(doc.at("/components/schemas/SettingOrigin/enum")))
                .isEqualTo(labels(ServerSettings.Origin.values(), ServerSettings.Origin::label));
        assertThat(texts(setting.at("/unit/enum"))).containsAll(
                Arrays.stream(Setting.values()).map(Setting::unit).distinct().toList());
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("an enum at %s", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static <E> List<String> labels(E[] values, Function<E, String> label) {
        return Arrays.stream(values).map(label).toList();
    }

    @Test
    void operationIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (Operation op : operations()) {
            String id = op.node().path("operationId").asText();
            assertThat(id).as("operationId of %s", op).isNotEmpty();
            assertThat(ids.add(id)).as("operationId %s is unique", id).isTrue();
        }
    }
}
