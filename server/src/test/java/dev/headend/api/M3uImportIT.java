package dev.headend.api;

import static dev.headend.support.Streams.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.headend.catalog.M3uReader;
import dev.headend.support.LogCapture;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/channels/import}: a good playlist creates its channels (served in the
 * playlist, playing, kept across a restart); a dry run stores nothing; a hostile playlist is
 * refused as a whole with a line-by-line report, or with {@code ?partial=true} its good entries
 * are created; a playlist fetched by URL; every refusal changes nothing.
 */
@NeedsFfmpeg
class M3uImportIT {
    private static final String FILE_CHANNEL = TestServer.testChannel("pattern");
    private static final String M3U = "audio/x-mpegurl";

    private static HttpResponse<String> post(TestServer server, String query, String contentType, byte[] body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/channels/import" + query))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> importM3u(TestServer server, String query, String m3u) {
        return post(server, query, M3U, m3u.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(TestServer server) {
        JsonNode all = ResponseJson.of(server.get("/api/channels")).get("channels");
        return StreamSupport.stream(all.spliterator(), false).map(c -> c.get("id").asText() + ":"
                + c.get("origin").asText()).toList();
    }

    private static List<String> report(JsonNode rejected) {
        return StreamSupport.stream(rejected.spliterator(), false).map(r -> r.get("line").asInt() + ":"
                + r.get("id").asText("-") + ":" + r.at("/error/code").asText()).toList();
    }

    private static List<String> listed(JsonNode created) {
        return StreamSupport.stream(created.spliterator(), false).map(c -> c.get("line").asInt() + ":"
                + c.get("id").asText()).toList();
    }

    private static String good(TestServer server) {
        return """
                #EXTM3U
                #EXTINF:-1 tvg-id="Relayed.One" tvg-name="Relayed" tvg-chno="42" group-title="Imported" \
                tvg-logo="http://img.example/r.png",Relayed One
                %s/live/pattern.ts
                #EXTINF:-1 group-title="Imported",Camera Two
                rtsp://viewer:hunter2@cam.example/stream
                """.formatted(server.url());
    }

    /** A playlist with two good entries and one of each hostile kind, by line. */
    private static byte[] hostile() {
        ByteArrayOutputStream m3u = new ByteArrayOutputStream();
        write(m3u, """
                #EXTM3U
                #EXTINF:-1 tvg-id="keep.one",Keep One
                http://streams.example/one.ts
                #EXTINF:-1,No Url
                #EXTINF:-1,Local File
                file:/etc/passwd
                #EXTINF:-1,Piped
                pipe:0
                #EXTINF:-1 tvg-id="keep.one",Same Id
                http://streams.example/again.ts
                #EXTINF:-1,Long Line
                http://streams.example/""");
        write(m3u, "a".repeat(100_000) + "\n#EXTINF:-1,Caf");
        m3u.writeBytes(new byte[] {(byte) 0xe9, ' ', (byte) 0xff});
        write(m3u, """

                http://streams.example/cafe.ts
                #EXTINF:-1,Pattern
                http://streams.example/pattern.ts
                #EXTINF:-1,Secret
                http://user:hunter2@streams.example/s.ts?password=hunter3
                """);
        return m3u.toByteArray();
    }

    private static final List<String> HOSTILE_REPORT = List.of("4:no-url:missing_url", "5:local-file:unsupported_source",
            "7:piped:unsupported_source", "9:keep-one:duplicate_id", "12:long-line:line_too_long", "13:-:invalid_utf8",
            "15:pattern:channel_exists");

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGoodPlaylistCreatesItsChannelsWhichAreListedAndPlay() throws Exception {
        try (TestServer server = TestServer.start(FILE_CHANNEL); LogCapture log = new LogCapture()) {
            HttpResponse<String> r = importM3u(server, "", good(server));

            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode body = ResponseJson.of(r);
            assertThat(listed(body.get("created"))).containsExactly("2:relayed-one", "4:camera-two");
            assertThat(body.get("rejected")).isEmpty();
            assertThat(body.get("would_create")).isNull();
            JsonNode relayed = body.get("created").get(0);
            assertThat(relayed.get("name").asText()).isEqualTo("Relayed One");
            assertThat(relayed.get("number").asInt()).isEqualTo(42);
            assertThat(relayed.get("group").asText()).isEqualTo("Imported");
            assertThat(relayed.get("logo").asText()).isEqualTo("http://img.example/r.png");
            assertThat(r.body()).doesNotContain("hunter2");
            assertThat(ids(server)).containsExactly("pattern:file", "relayed-one:api", "camera-two:api");
            JsonNode camera = ResponseJson.of(server.get("/api/channels/camera-two"));
            assertThat(camera.get("source").asText()).isEqualTo("rtsp://***@cam.example/stream");
            assertThat(log.text()).doesNotContain("hunter2");

            HttpResponse<String> playlist = server.get("/playlist.m3u");
            List<M3uReader.Entry> entries = M3uReader.read(playlist.body().getBytes(StandardCharsets.UTF_8)).stream()
                    .map(M3uReader.Entry.class::cast).toList();
            M3uReader.Entry listedEntry = entries.stream().filter(e -> e.title().equals("Relayed One")).findFirst()
                    .orElseThrow(() -> new AssertionError(playlist.body()));
            assertThat(listedEntry.attributes()).containsEntry("tvg-chno", "42").containsEntry("group-title",
                    "Imported").containsEntry("tvg-logo", "http://img.example/r.png");
            assertThat(listedEntry.url()).isEqualTo(server.url() + "/live/relayed-one.ts");

            ToolRun probe = ToolRun.succeed("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of",
                    "csv=p=0", listedEntry.url());
            assertThat(probe.stdout()).contains("h264");
            server.stopAllStreams();
        }
    }

    @Test
    void aDryRunShowsWhatWouldBeCreatedAndStoresNothing() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            HttpResponse<String> r = importM3u(server, "?dry_run=true", good(server));
            HttpResponse<String> hostile = post(server, "?dry_run=true&partial=true", M3U, hostile());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = ResponseJson.of(r);
            assertThat(body.get("dry_run").asBoolean()).isTrue();
            assertThat(body.get("created")).isEmpty();
            assertThat(body.get("created_count").asInt()).isZero();
            assertThat(listed(body.get("would_create"))).containsExactly("2:relayed-one", "4:camera-two");
            assertThat(hostile.statusCode()).as(hostile.body()).isEqualTo(200);
            assertThat(report(ResponseJson.of(hostile).get("rejected"))).isEqualTo(HOSTILE_REPORT);
            assertThat(listed(ResponseJson.of(hostile).get("would_create"))).containsExactly("2:keep-one",
                    "17:secret");
            assertThat(ids(server)).containsExactly("pattern:file");
            assertThat(server.server().pool().stats().spawned()).isZero();
        }
    }

    @Test
    void aHostilePlaylistIsRefusedAsAWholeWithALineByLineReport() {
        try (TestServer server = TestServer.start(FILE_CHANNEL); LogCapture log = new LogCapture()) {
            HttpResponse<String> r = post(server, "", M3U, hostile());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            JsonNode body = ResponseJson.of(r);
            assertThat(errorCode(r)).isEqualTo("import_refused");
            assertThat(body.at("/error/message").asText()).contains("7 line(s)").contains("nothing was created");
            assertThat(report(body.get("rejected"))).isEqualTo(HOSTILE_REPORT);
            assertThat(body.get("rejected").get(1).at("/error/message").asText()).contains("'file'")
                    .doesNotContain("passwd");
            assertThat(body.get("created")).isEmpty();
            assertThat(listed(body.get("would_create"))).containsExactly("2:keep-one", "17:secret");
            assertThat(r.body()).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("Exception");
            assertThat(log.text()).doesNotContain("hunter2").doesNotContain("hunter3");
            assertThat(ids(server)).containsExactly("pattern:file");
            assertThat(server.server().pool().stats().spawned()).isZero();
        }
    }

    /** Each hostile kind alone, beside a good entry: the import is refused with that line and nothing changes. */
    @Test
    void eachHostileEntryAloneRefusesTheImport() {
        Map<String, String> cases = Map.of(
                "missing_url", "#EXTINF:-1,No Url\n",
                "unsupported_source", "#EXTINF:-1,Local\nfile:/etc/passwd\n",
                "unsupported_source ", "#EXTINF:-1,Piped\npipe:cat /etc/passwd\n",
                "duplicate_id", "#EXTINF:-1,Good\nhttp://b.example/b.ts\n",
                "channel_exists", "#EXTINF:-1,Existing\nhttp://b.example/b.ts\n",
                "line_too_long", "#EXTINF:-1 tvg-logo=\"" + "x".repeat(100_000) + "\",Big\nhttp://b.example/\n",
                "invalid_channel", "#EXTINF:-1 tvg-chno=\"5.1\",Sub\nhttp://b.example/5-1.ts\n",
                "missing_extinf", "http://b.example/bare.ts\n");
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            HttpResponse<String> existing = importM3u(server, "", "#EXTM3U\n#EXTINF:-1,Existing\nhttp://e.example/\n");
            assertThat(existing.statusCode()).as(existing.body()).isEqualTo(201);
            List<String> before = ids(server);
            String etag = server.get("/api/channels/existing").headers().firstValue("ETag").orElseThrow();
            List<String> seen = new ArrayList<>();
            cases.forEach((code, entry) -> {
                HttpResponse<String> r = importM3u(server, "", "#EXTM3U\n#EXTINF:-1,Good\nhttp://a.example/a.ts\n"
                        + entry);
                assertThat(r.statusCode()).as(code + ": " + r.body()).isEqualTo(422);
                JsonNode rejected = ResponseJson.of(r).get("rejected");
                assertThat(rejected).as(code + ": " + r.body()).hasSize(1);
                assertThat(rejected.get(0).get("line").asInt()).isEqualTo(4);
                assertThat(rejected.get(0).at("/error/code").asText()).isEqualTo(code.strip());
                assertThat(rejected.get(0).at("/error/message").asText()).isNotBlank();
                assertThat(ids(server)).isEqualTo(before);
                seen.add(code);
            });
            byte[] bad = "#EXTM3U\n#EXTINF:-1,Good\nhttp://a.example/a.ts\n#EXTINF:-1,Bad\nhttp://b.example/\u00e9\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            HttpResponse<String> latin1 = post(server, "", M3U, bad);
            assertThat(latin1.statusCode()).as(latin1.body()).isEqualTo(422);
            assertThat(report(ResponseJson.of(latin1).get("rejected"))).containsExactly("5:bad:invalid_utf8");
            assertThat(ids(server)).isEqualTo(before);
            assertThat(server.get("/api/channels/existing").headers().firstValue("ETag")).hasValue(etag);
            assertThat(seen).hasSize(cases.size());
        }
    }

    @Test
    void partialCreatesTheGoodEntriesReportsTheOthersAndTheyAreKept() throws IOException {
        Path dataDir = Files.createTempDirectory("headend-import").resolve("data");
        Map<String, String> settings = Map.of("data_dir", dataDir.toString());
        try (TestServer server = TestServer.start(FILE_CHANNEL, settings)) {
            HttpResponse<String> r = post(server, "?partial=true", M3U, hostile());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = ResponseJson.of(r);
            assertThat(listed(body.get("created"))).containsExactly("2:keep-one", "17:secret");
            assertThat(body.get("created_count").asInt()).isEqualTo(2);
            assertThat(report(body.get("rejected"))).isEqualTo(HOSTILE_REPORT);
            assertThat(r.body()).doesNotContain("hunter2").doesNotContain("hunter3");
            assertThat(ids(server)).containsExactly("pattern:file", "keep-one:api", "secret:api");

            HttpResponse<String> again = post(server, "?partial=true", M3U, hostile());
            assertThat(again.statusCode()).as("nothing left to create: " + again.body()).isEqualTo(422);
            assertThat(report(ResponseJson.of(again).get("rejected"))).contains("2:keep-one:channel_exists",
                    "17:secret:channel_exists");
            assertThat(ids(server)).containsExactly("pattern:file", "keep-one:api", "secret:api");
        }
        try (TestServer server = TestServer.start(FILE_CHANNEL, settings)) {
            assertThat(ids(server)).containsExactly("pattern:file", "keep-one:api", "secret:api");
        }
    }

    @Test
    void aPlaylistIsFetchedByUrlOverHttpOnly() throws IOException {
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/list.m3u", x -> {
            byte[] m3u = "#EXTM3U\n#EXTINF:-1 tvg-id=\"fetched\",Fetched\nhttp://a.example/f.ts\n"
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, m3u.length);
            x.getResponseBody().write(m3u);
            x.close();
        });
        origin.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/list.m3u");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        origin.createContext("/to-file", x -> {
            x.getResponseHeaders().add("Location", "file:///etc/passwd");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        origin.createContext("/missing", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        origin.start();
        String base = "http://127.0.0.1:" + origin.getAddress().getPort();
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            List<String> before = ids(server);
            for (String[] bad : new String[][] {
                    {"{\"url\": \"file:///etc/passwd\"}", "400", "invalid_url"},
                    {"{\"url\": \"ftp://a.example/x.m3u\"}", "400", "invalid_url"},
                    {"{\"url\": 7}", "400", "invalid_body"},
                    {"{\"link\": \"" + base + "/list.m3u\"}", "400", "invalid_body"},
                    {"{\"url\": \"" + base + "/to-file\"}", "502", "fetch_failed"},
                    {"{\"url\": \"" + base + "/missing?token=hunter2\"}", "502", "fetch_failed"}}) {
                HttpResponse<String> r = post(server, "", "application/json", bad[0].getBytes(StandardCharsets.UTF_8));
                assertThat(r.statusCode()).as(bad[0] + " -> " + r.body()).isEqualTo(Integer.parseInt(bad[1]));
                assertThat(errorCode(r)).isEqualTo(bad[2]);
                assertThat(r.body()).doesNotContain("hunter2");
                assertThat(ids(server)).isEqualTo(before);
            }

            HttpResponse<String> r = post(server, "", "application/json; charset=utf-8",
                    ("{\"url\": \"" + base + "/moved\"}").getBytes(StandardCharsets.UTF_8));

            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(ids(server)).containsExactly("pattern:file", "fetched:api");
        } finally {
            origin.stop(0);
        }
    }

    @Test
    void whatIsNotAnM3uPlaylistIsRefusedAndChangesNothing() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            List<String> before = ids(server);
            for (String[] bad : new String[][] {
                    {"", "<html><body>hello</body></html>", "422", "not_a_playlist"},
                    {"", "#EXTM3U\n# nothing here\n", "422", "empty_playlist"},
                    {"", "", "400", "invalid_body"},
                    {"?partial=yes", "#EXTM3U\n", "400", "invalid_parameter"},
                    {"?dry_run=1", "#EXTM3U\n", "400", "invalid_parameter"}}) {
                HttpResponse<String> r = importM3u(server, bad[0], bad[1]);
                assertThat(r.statusCode()).as(bad[1] + " -> " + r.body()).isEqualTo(Integer.parseInt(bad[2]));
                assertThat(errorCode(r)).isEqualTo(bad[3]);
                assertThat(ids(server)).isEqualTo(before);
            }
            HttpResponse<String> anonymous = server.anonymous(HttpRequest.newBuilder(URI.create(server.url()
                    + "/api/channels/import")).POST(HttpRequest.BodyPublishers.ofString(good(server))));
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(ids(server)).isEqualTo(before);
        }
    }
}
