package dev.headend.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@NeedsFfmpeg
class SystemApiIT {
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("sys"));
        assertThat(server.post("/api/streams/sys/start?wait=ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsExposeStreamsPoolAndRestartDecisionsForPrometheus() {
        HttpResponse<String> r = server.get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(r.body()).contains(
                "headend_streams{state=\"running\"} 1.0",
                "headend_pipelines_running 1.0",
                "headend_pipeline_spawns_total 1.0",
                "headend_pipeline_spawns_refused_total{code=\"spawn_rate_limited\"} 0.0",
                "headend_restart_decisions_total{verdict=\"circuit_open\"} 0.0",
                "headend_channel_viewers{channel=\"sys\"} 0.0",
                "jvm_memory_used_bytes");
    }

    @Test
    void systemApiShowsThePoolAndTheRestartPolicy() {
        HttpResponse<String> r = server.get("/api/system");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ResponseJson.of(r);
        assertThat(body.path("streams").asInt()).isEqualTo(1);
        assertThat(body.path("pool").path("running").asInt()).isEqualTo(1);
        assertThat(body.path("pool").path("effective_cap").asInt()).isPositive();
        assertThat(body.path("pool").path("refused").path("process_limit").asLong()).isZero();
        assertThat(body.path("restart_decisions").path("now").isNumber()).isTrue();
    }

    @Test
    void healthOfARunningChannelAndOfAnUnknownOne() {
        JsonNode health = ResponseJson.of(server.get("/api/channels/sys/health"));
        assertThat(health.path("channel_id").asText()).isEqualTo("sys");
        assertThat(health.path("status").asText()).isIn("healthy", "degraded");
        assertThat(health.path("circuit_state").asText()).isEqualTo("closed");

        HttpResponse<String> unknown = server.get("/api/channels/nope/health");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ResponseJson.of(unknown).path("error").path("code").asText()).isEqualTo("channel_not_found");
    }
}
