package dev.headend.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/openapi.json} names exactly the routes a real server registers, as wired by
 * {@link dev.headend.HeadendServer}: a route added without documenting it fails here, and so
 * does a documented route that does not exist. Methods and path templates must match ({@code
 * {param}} in both); HEAD is implied by GET and not documented.
 */
@NeedsFfmpeg
class OpenApiIT {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("one"));
    }

    @Test
    void theDocumentNamesEveryRegisteredRouteAndNoOther() {
        Set<String> registered = new TreeSet<>();
        server.server().routes().forEach(r -> registered.add(r.method() + " " + r.template()));
        Set<String> documented = new TreeSet<>();
        ResponseJson.of(server.get("/api/openapi.json")).get("paths").properties().forEach(path ->
                path.getValue().fieldNames().forEachRemaining(key -> {
                    if (METHODS.contains(key)) {
                        documented.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(registered);
        assertSoftly(softly -> {
            softly.assertThat(missing).as("routes the server registers that openapi.yaml does not document").isEmpty();
            softly.assertThat(unknown).as("routes openapi.yaml documents that the server does not register").isEmpty();
        });
        assertThat(registered).contains("GET /api/openapi.json", "GET /live/{id}.ts", "GET /s/{token}/live/{id}.ts",
                "GET /ws/events", "GET /metrics", "GET /");
    }

    @Test
    void theDocumentIsServedAsJsonToAdmins() {
        HttpResponse<String> answer = server.get("/api/openapi.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode served = ResponseJson.of(answer);
        assertThat(served).isEqualTo(OpenApiDocument.read());
        assertThat(served.get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void withoutTheAdminTokenItIsRefused() {
        HttpResponse<String> answer = server.anonymous(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/openapi.json")).GET());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(ResponseJson.of(answer).get("error").get("code").asText()).isEqualTo("unauthorized");
    }
}
