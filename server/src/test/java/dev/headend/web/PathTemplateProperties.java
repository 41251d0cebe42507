package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Path matching never fails on any path, and a path built from a template and parameter values
 * matches back to those values (through the template alone, and through the router, whichever
 * template it picks).
 */
class PathTemplateProperties {
    /** Every route template of the server. */
    static final List<String> TEMPLATES = List.of(
            "/api/config/reload", "/api/channels", "/api/channels/{id}", "/api/channels/{id}/health",
            "/api/streams", "/api/system", "/api/streams/{id}", "/metrics", "/api/streams/{id}/start", "/healthz",
            "/live/{id}.ts", "/api/streams/{id}/stop", "/api/streams/{id}/restart", "/live/{id}/index.m3u8",
            "/api/streams/start", "/live/{id}/{sequence}.ts", "/api/streams/stop", "/api/streams/cleanup", "/");
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    private static final RouteHandler NOTHING = ex -> { };
    private static final Router ROUTER = RouterTest.router(List.of(
            () -> TEMPLATES.stream().map(t -> Route.get(t, NOTHING)).toList()));

    /** Paths as a client could send them: path-like text of a small alphabet, or any text. */
    @Provide
    static Arbitrary<String> paths() {
        Arbitrary<String> pathLike = Arbitraries.strings().withChars("/.%{}-_~?#;:aAz09\u00e9\u0000\n")
                .ofMaxLength(80).map(s -> "/" + s);
        Arbitrary<String> prefixed = Combinators.combine(Arbitraries.of(TEMPLATES), Arbitraries.strings()
                .ofMaxLength(40)).as((t, tail) -> t.replace("{", "").replace("}", "") + tail);
        return Arbitraries.oneOf(pathLike, prefixed, Arbitraries.strings().ofMaxLength(120));
    }

    /** A template with parameters and values for them: anything but a slash, at least one character. */
    @Provide
    static Arbitrary<Map.Entry<String, Map<String, String>>> filledTemplates() {
        Arbitrary<String> value = Arbitraries.strings().excludeChars('/').ofMinLength(1).ofMaxLength(30);
        return Arbitraries.of(TEMPLATES.stream().filter(t -> t.contains("{")).toList())
                .flatMap(t -> value.list().ofSize(2).map(values -> {
                    Map<String, String> params = new LinkedHashMap<>();
                    Matcher m = PARAMETER.matcher(t);
                    for (int i = 0; m.find(); i++) {
                        params.put(m.group(1), values.get(i));
                    }
                    return Map.entry(t, params);
                }));
    }

    @Property(tries = 2000)
    void anyPathMatchesOrNotWithoutAnException(@ForAll("paths") String path) {
        for (String t : TEMPLATES) {
            PathTemplate template = new PathTemplate(t);
            Optional<Map<String, String>> params = template.match(path);
            assertThat(params.isPresent()).isEqualTo(template.matches(path));
            params.ifPresent(p -> assertThat(fill(t, p)).isEqualTo(path));
        }
    }

    @Property(tries = 2000)
    void theRouterFindsATemplateThatRebuildsThePathOrNone(@ForAll("paths") String path) {
        ROUTER.match(path).ifPresent(m -> assertThat(fill(m.template(), m.params())).isEqualTo(path));
    }

    @Property(tries = 1000)
    void aFilledTemplateMatchesBackToItsValues(@ForAll("filledTemplates") Map.Entry<String, Map<String, String>> t) {
        String path = fill(t.getKey(), t.getValue());

        assertThat(new PathTemplate(t.getKey()).match(path)).contains(t.getValue());
        assertThat(ROUTER.match(path)).hasValueSatisfying(m -> assertThat(fill(m.template(), m.params()))
                .isEqualTo(path));
    }

    /** The template with each parameter replaced by its value. */
    private static String fill(String template, Map<String, String> params) {
        StringBuilder path = new StringBuilder();
        Matcher m = PARAMETER.matcher(template);
        while (m.find()) {
            m.appendReplacement(path, Matcher.quoteReplacement(params.get(m.group(1))));
        }
        return m.appendTail(path).toString();
    }
}
