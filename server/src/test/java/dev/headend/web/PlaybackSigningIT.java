package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code playback_secret} set, only signed, unexpired URLs play, each opening its own
 * channel; the API hands out signed URLs; and CORS answers only the configured origins.
 */
@NeedsFfmpeg
class PlaybackSigningIT {
    private static final String ALLOWED_ORIGIN = "https://tv.example.com";

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("ok", 300) + TestServer.testChannel("other"),
                Map.of("playback_secret", "playback-secret-for-tests", "cors_origins", ALLOWED_ORIGIN));
    }

    @AfterEach
    void stopAll() {
        server.stopAllStreams();
    }

    @Test
    void unsignedPlaybackIsRefusedAndStartsNothing() {
        for (String path : new String[] {"/live/ok/index.m3u8", "/live/ok.ts", "/live/ok/0.ts",
                "/live/ok/index.m3u8?s=AAAAAAAAAAAAAAAAAAAAAA"}) {
            HttpResponse<String> r = server.get(path);

            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(ResponseJson.of(r).path("error").path("code").asText()).as(path).isEqualTo("signature_required");
        }
        assertThat(server.server().streams().all()).isEmpty();
        assertThat(server.pipelinePids()).isEmpty();
    }

    @Test
    void theApisSignedUrlsPlayInARealClientSegmentsIncluded() throws Exception {
        JsonNode channel = ResponseJson.of(server.get("/api/channels/ok"));
        String playlistUrl = channel.path("playlist_url").asText();
        assertThat(playlistUrl).matches(server.url() + "/live/ok/index\\.m3u8\\?exp=[0-9]+&sig=[A-Za-z0-9_-]{43}");

        HttpResponse<String> playlist = server.get(playlistUrl.substring(server.url().length()));
        assertThat(playlist.statusCode()).as(playlist.body()).isEqualTo(200);
        LivePlaylist parsed = LivePlaylist.parse(playlist.body());
        assertThat(parsed.segments()).allSatisfy(s -> assertThat(s.uri()).contains("&exp=", "&sig="));
        URI segment = playlist.uri().resolve(parsed.segments().getFirst().uri());
        assertThat(server.getBytes(segment.toString()).statusCode()).isEqualTo(200);

        ToolRun probe = ToolRun.succeed("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of",
                "csv=p=0", playlistUrl);
        assertThat(probe.stdout()).contains("h264");
    }

    @Test
    void aSignatureOpensOnlyItsOwnChannelAndOnlyAsSigned() {
        String query = URI.create(ResponseJson.of(server.get("/api/channels/ok")).path("playlist_url").asText())
                .getRawQuery();

        HttpResponse<String> otherChannel = server.get("/live/other/index.m3u8?" + query);
        char first = query.charAt(query.indexOf("sig=") + 4);
        HttpResponse<String> tampered = server.get("/live/ok/index.m3u8?"
                + query.replaceFirst("sig=.", "sig=" + (first == 'A' ? 'B' : 'A')));
        HttpResponse<String> extended = server.get("/live/ok/index.m3u8?"
                + query.replaceFirst("exp=([0-9]+)", "exp=9$1"));

        assertThat(ResponseJson.of(otherChannel).path("error").path("code").asText()).isEqualTo("invalid_signature");
        assertThat(otherChannel.statusCode()).isEqualTo(403);
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(extended.statusCode()).isEqualTo(403);
        assertThat(server.server().streams().all()).isEmpty();
    }

    @Test
    void signedUrlsExpire() {
        HttpResponse<String> issued = server.post("/api/channels/ok/signed-url?ttl_seconds=1");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode body = ResponseJson.of(issued);
        Instant expires = Instant.parse(body.path("expires_at").asText());
        assertThat(expires).isBetween(Instant.now(), Instant.now().plusSeconds(3));
        String playlist = body.path("playlist_url").asText().substring(server.url().length());

        await().atMost(Duration.ofSeconds(10)).until(() -> server.get(playlist),
                r -> r.statusCode() == 403 && r.body().contains("\"signature_expired\""));
    }

    @Test
    void badLifetimesAreRefused() {
        for (String ttl : new String[] {"0", "-5", "abc", "31536001", ""}) {
            HttpResponse<String> r = server.post("/api/channels/ok/signed-url?ttl_seconds=" + ttl);

            assertThat(r.statusCode()).as(ttl).isEqualTo(400);
            assertThat(ResponseJson.of(r).path("error").path("code").asText()).isEqualTo("invalid_parameter");
        }
        assertThat(server.post("/api/channels/nope/signed-url").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheConfiguredOriginMayReadPlayback() {
        String query = URI.create(ResponseJson.of(server.get("/api/channels/ok")).path("playlist_url").asText())
                .getRawQuery();
        URI playlist = URI.create(server.url() + "/live/ok/index.m3u8?" + query);

        HttpResponse<String> allowed = server.send(HttpRequest.newBuilder(playlist).header("Origin", ALLOWED_ORIGIN));
        HttpResponse<String> other = server.send(HttpRequest.newBuilder(playlist)
                .header("Origin", "https://evil.example"));

        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
