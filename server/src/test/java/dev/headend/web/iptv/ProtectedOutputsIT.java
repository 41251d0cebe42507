package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code playback_secret} set, the IPTV outputs answer only under {@code /s/{token}/} with
 * the server's output token, and every URL they give keeps the token in its path, so a client
 * that drops query strings still plays; without the token nothing is listed and nothing starts.
 */
@NeedsFfmpeg
class ProtectedOutputsIT {
    private static final List<String> OUTPUTS = List.of("/playlist.m3u", "/epg.xml", "/epg.xml.gz",
            "/discover.json", "/lineup.json", "/lineup_status.json", "/device.xml", "/auto/v5");

    @AutoClose
    private static TestServer server;
    private static String base;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("news") + "    number: 5\n" + TestServer.testChannel("lobby"),
                Map.of("playback_secret", "playback-secret-for-tests"));
        base = ResponseJson.of(server.get("/api/iptv")).path("hdhomerun_url").asText();
    }

    @AfterEach
    void stopAll() {
        server.stopAllStreams();
    }

    private static String token() {
        return base.substring(base.lastIndexOf('/') + 1);
    }

    @Test
    void theOperatorGetsTheUrlsWithTheTokenAndOthersDoNot() {
        JsonNode urls = ResponseJson.of(server.get("/api/iptv"));
        HttpResponse<String> anonymous = server.anonymous(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/iptv")));

        assertThat(urls.path("protected").asBoolean()).isTrue();
        assertThat(base).matches(server.url() + "/s/[A-Za-z0-9_-]{43}");
        assertThat(urls.path("playlist_url").asText()).isEqualTo(base + "/playlist.m3u");
        assertThat(urls.path("epg_url").asText()).isEqualTo(base + "/epg.xml");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void withoutTheTokenOrWithAWrongOneNothingIsListedAndNothingStarts() {
        String wrong = "A".repeat(43);
        for (String path : OUTPUTS) {
            HttpResponse<String> bare = server.get(path);
            HttpResponse<String> forged = server.get("/s/" + wrong + path);

            assertThat(bare.statusCode()).as(path).isEqualTo(403);
            assertThat(ResponseJson.of(bare).path("error").path("code").asText()).as(path)
                    .isEqualTo("signature_required");
            assertThat(forged.statusCode()).as(path).isEqualTo(403);
            assertThat(ResponseJson.of(forged).path("error").path("code").asText()).as(path)
                    .isEqualTo("invalid_signature");
        }
        for (String path : List.of("/s/" + wrong + "/live/news.ts", "/s/" + token() + "x/live/news.ts",
                "/live/news.ts")) {
            assertThat(server.get(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(server.server().streams().all()).isEmpty();
        assertThat(server.pipelinePids()).isEmpty();
    }

    @Test
    void everyUrlTheOutputsGiveKeepsTheTokenInItsPathAndPlays() throws Exception {
        HttpResponse<String> m3u = server.get(base.substring(server.url().length()) + "/playlist.m3u");
        JsonNode discover = ResponseJson.of(server.get(base.substring(server.url().length()) + "/discover.json"));
        JsonNode lineup = ResponseJson.of(server.get(base.substring(server.url().length()) + "/lineup.json"));
        List<M3uReader.Entry> entries = M3uReader.parse(m3u.body());

        assertThat(M3uReader.guideUrl(m3u.body())).isEqualTo(base + "/epg.xml");
        assertThat(server.get(base.substring(server.url().length()) + "/epg.xml").statusCode()).isEqualTo(200);
        assertThat(entries).extracting(M3uReader.Entry::url).containsExactly(base + "/live/news.ts",
                base + "/live/lobby.ts");
        assertThat(discover.path("BaseURL").asText()).isEqualTo(base);
        assertThat(discover.path("LineupURL").asText()).isEqualTo(base + "/lineup.json");
        assertThat(lineup.get(0).path("URL").asText()).isEqualTo(base + "/auto/v5");
        for (String url : List.of(entries.get(1).url(), lineup.get(0).path("URL").asText())) {
            ToolRun probe = ToolRun.succeed("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of",
                    "csv=p=0", url);

            assertThat(probe.stdout()).as(url).contains("h264");
        }
    }

    @Test
    void theHlsPlaylistGivesSignedHlsUrls() {
        HttpResponse<String> m3u = server.get(base.substring(server.url().length()) + "/playlist.m3u?format=hls");

        assertThat(M3uReader.parse(m3u.body())).extracting(M3uReader.Entry::url).allSatisfy(url -> assertThat(url)
                .matches(server.url() + "/live/[a-z]+/index\\.m3u8\\?exp=[0-9]+&sig=[A-Za-z0-9_-]{43}"));
    }
}
