package dev.headend.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestServer;
import java.io.InputStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@NeedsFfmpeg
class HttpConnTest {
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("conn"));
    }

    @Test
    void readsRedirectsPlaylistsSegmentsAndErrorsOverOneConnection() throws Exception {
        try (HttpConn conn = new HttpConn(server.server().port(), 20_000)) {
            HttpConn.Response join = conn.get("/live/conn/index.m3u8", false);
            assertThat(join.status()).isEqualTo(302);
            assertThat(join.location()).startsWith("index.m3u8?s=");

            HttpConn.Response playlist = conn.get("/live/conn/" + join.location(), true);
            assertThat(playlist.status()).isEqualTo(200);
            assertThat(playlist.text()).startsWith("#EXTM3U");

            String segment = Playlist.parse(playlist.text()).newest().uri();
            HttpConn.Response bytes = conn.get("/live/conn/" + segment, true);
            assertThat(bytes.status()).isEqualTo(200);
            assertThat(bytes.length()).isEqualTo(bytes.body().length).isPositive();
            assertThat(bytes.body()[0]).isEqualTo((byte) 0x47);

            HttpConn.Response missing = conn.get("/live/nope/index.m3u8", true);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.text()).contains("channel_not_found");
        }
    }

    @Test
    void streamsContinuousTsWithoutChunkFraming() throws Exception {
        try (HttpConn conn = new HttpConn(server.server().port(), 20_000)) {
            InputStream in = conn.stream("/live/conn.ts");
            byte[] data = in.readNBytes(60_000);
            TsContinuity continuity = new TsContinuity();
            continuity.accept(data, 0, data.length);
            assertThat(data).hasSize(60_000);
            assertThat(data[0]).isEqualTo((byte) 0x47);
            assertThat(continuity.jumps()).isZero();
        }
    }
}
