package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.security.FailedAttempts;
import dev.headend.security.Secret;
import dev.headend.time.TimeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the router's path templates match paths, without a socket. */
class RouterTest {
    private static final RouteHandler NOTHING = ex -> { };

    private final Router router = router(List.of(
            () -> List.of(Route.get("/live/{id}/index.m3u8", NOTHING), Route.get("/live/{id}/{sequence}.ts", NOTHING),
                    Route.get("/live/{id}.ts", NOTHING)),
            () -> List.of(Route.get("/api/streams/{id}", NOTHING), Route.post("/api/streams/{id}/start", NOTHING),
                    Route.post("/api/streams/cleanup", NOTHING), Route.post("/api/streams/start", NOTHING)),
            () -> List.of(Route.get("/", NOTHING), Route.get("/web/app.js", NOTHING))));

    static Router router(List<RouteGroup> groups) {
        TimeSource time = TimeSource.system();
        return new Router(groups, new AccessGuard(Secret.of("router-test-token-0123"), false, Optional.empty(),
                new FailedAttempts(time), time), new BaseUrls(Optional.empty()));
    }

    @Test
    void parametersTakeWholeSegmentsOrSegmentsWithALiteralSuffix() {
        assertThat(router.match("/live/cam-1/index.m3u8")).contains(
                new Router.Match("/live/{id}/index.m3u8", Map.of("id", "cam-1"), List.of("GET", "HEAD", "OPTIONS")));
        assertThat(router.match("/live/cam-1/42.ts")).hasValueSatisfying(m -> {
            assertThat(m.template()).isEqualTo("/live/{id}/{sequence}.ts");
            assertThat(m.params()).containsExactly(Map.entry("id", "cam-1"), Map.entry("sequence", "42"));
        });
        assertThat(router.match("/live/cam-1.ts")).hasValueSatisfying(
                m -> assertThat(m.params()).containsExactly(Map.entry("id", "cam-1")));
    }

    @Test
    void aLiteralPathWinsOverATemplateThatAlsoMatchesIt() {
        assertThat(router.match("/api/streams/cleanup")).hasValueSatisfying(m -> {
            assertThat(m.template()).isEqualTo("/api/streams/cleanup");
            assertThat(m.methods()).containsExactly("OPTIONS", "POST");
        });
        assertThat(router.match("/api/streams/start")).hasValueSatisfying(
                m -> assertThat(m.template()).isEqualTo("/api/streams/start"));
        assertThat(router.match("/api/streams/news")).hasValueSatisfying(
                m -> assertThat(m.params()).containsExactly(Map.entry("id", "news")));
        assertThat(router.match("/api/streams/news/start")).hasValueSatisfying(
                m -> assertThat(m.template()).isEqualTo("/api/streams/{id}/start"));
    }

    @Test
    void pathsNoTemplateMatchesAreNotFound() {
        assertThat(router.match("/")).hasValueSatisfying(m -> assertThat(m.template()).isEqualTo("/"));
        assertThat(router.match("/web/app.js")).isPresent();
        assertThat(router.match("/web/appXjs")).as("a dot in a template is a dot").isEmpty();
        assertThat(router.match("/live/cam/index.m3u8/extra")).isEmpty();
        assertThat(router.match("/live//index.m3u8")).as("an empty parameter reaches the route, which refuses it")
                .hasValueSatisfying(m -> assertThat(m.params()).containsExactly(Map.entry("id", "")));
        assertThat(router.match("/nope")).isEmpty();
    }

    @Test
    void theRouterListsEveryRouteItWasGivenWithMethodAndTemplate() {
        assertThat(router.endpoints()).hasSize(9)
                .startsWith(new Router.Endpoint("GET", "/live/{id}/index.m3u8"),
                        new Router.Endpoint("GET", "/live/{id}/{sequence}.ts"))
                .contains(new Router.Endpoint("POST", "/api/streams/{id}/start"), new Router.Endpoint("GET", "/"))
                .doesNotContain(new Router.Endpoint("HEAD", "/"));
    }

    @Test
    void twoRoutesForOneMethodAndPathAreRefused() {
        assertThatThrownBy(() -> router(List.of(() -> List.of(Route.get("/a", NOTHING), Route.get("/a", NOTHING)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two routes for GET /a");
    }
}
