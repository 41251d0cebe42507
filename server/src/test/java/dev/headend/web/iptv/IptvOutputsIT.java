package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The IPTV outputs of an open server read by real clients: the M3U by an independent reader and
 * ffprobe, the XMLTV guide by xmllint against the XMLTV DTD and by XMLTV's own validator, the
 * HDHomeRun JSON as Plex reads it, and a tuner URL by ffprobe.
 */
@NeedsFfmpeg
class IptvOutputsIT {
    /** The XMLTV DTD, installed by Debian's xmltv-util (with tv_validate_file). */
    static final Path XMLTV_DTD = Path.of("/usr/share/xmltv/xmltv.dtd");

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("news") + """
                    number: 5
                    group: Local
                    logo: https://img.example/news.png?size=1&v=2
                """ + TestServer.testChannel("lobby_cam"));
    }

    @AfterEach
    void stopAll() {
        server.stopAllStreams();
    }

    private static List<M3uReader.Entry> playlist() {
        HttpResponse<String> r = server.get("/playlist.m3u");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("audio/x-mpegurl; charset=utf-8");
        assertThat(M3uReader.guideUrl(r.body())).isEqualTo(server.url() + "/epg.xml");
        return M3uReader.parse(r.body());
    }

    @Test
    void thePlaylistListsEveryChannelAndItsTsUrlPlaysInFfprobe() throws Exception {
        List<M3uReader.Entry> entries = playlist();

        assertThat(entries).extracting(e -> e.attribute("tvg-id")).containsExactly("news.headend",
                "lobby.cam.headend");
        M3uReader.Entry news = entries.getFirst();
        assertThat(news.attributes()).containsEntry("tvg-name", "Test news").containsEntry("tvg-chno", "5")
                .containsEntry("group-title", "Local")
                .containsEntry("tvg-logo", "https://img.example/news.png?size=1&v=2");
        assertThat(news.title()).isEqualTo("Test news");
        assertThat(Integer.parseInt(entries.get(1).attribute("tvg-chno"))).isBetween(1000, 9999);
        assertThat(entries).extracting(M3uReader.Entry::url).containsExactly(server.url() + "/live/news.ts",
                server.url() + "/live/lobby_cam.ts");
        assertThat(playlist()).isEqualTo(entries);

        ToolRun probe = ToolRun.succeed("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of",
                "csv=p=0", entries.get(1).url());
        assertThat(probe.stdout()).contains("h264");
    }

    @Test
    void theHlsPlaylistListsHlsUrlsAndAnUnknownFormatIsRefused() {
        HttpResponse<String> hls = server.get("/playlist.m3u?format=hls");
        HttpResponse<String> bad = server.get("/playlist.m3u?format=dash");

        assertThat(M3uReader.parse(hls.body())).extracting(M3uReader.Entry::url).containsExactly(
                server.url() + "/live/news/index.m3u8", server.url() + "/live/lobby_cam/index.m3u8");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ResponseJson.of(bad).path("error").path("code").asText()).isEqualTo("invalid_parameter");
        assertThat(server.server().streams().all()).isEmpty();
    }

    @Test
    void theGuideIsValidXmltvAndItsChannelsAreThePlaylists(@TempDir Path dir) throws Exception {
        HttpResponse<byte[]> plain = server.getBytes("/epg.xml");
        HttpResponse<byte[]> gzipped = server.getBytes("/epg.xml.gz");
        Path file = dir.resolve("epg.xml");
        Files.write(file, plain.body());

        ToolRun.succeed("xmllint", "--noout", "--dtdvalid", XMLTV_DTD.toString(), file.toString());
        ToolRun validator = ToolRun.succeed("env", "XMLTV_SUPPLEMENT=" + XMLTV_DTD.getParent(), "tv_validate_file",
                file.toString());
        assertThat(validator.stdout() + validator.stderr()).contains("Validated ok");
        assertThat(gzipped.headers().firstValue("Content-Type")).hasValue("application/gzip");
        byte[] unzipped;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            unzipped = in.readAllBytes();
        }
        Set<String> tvgIds = new HashSet<>(playlist().stream().map(e -> e.attribute("tvg-id")).toList());
        assertThat(guideIds(plain.body(), "channel", "id")).isEqualTo(tvgIds);
        assertThat(guideIds(plain.body(), "programme", "channel")).isEqualTo(tvgIds);
        assertThat(guideIds(unzipped, "channel", "id")).isEqualTo(tvgIds);
    }

    static Set<String> guideIds(byte[] xml, String element, String attribute) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document guide = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        NodeList nodes = guide.getElementsByTagName(element);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            ids.add(nodes.item(i).getAttributes().getNamedItem(attribute).getNodeValue());
        }
        return ids;
    }

    @Test
    void theTunerDescribesItselfAsAnHdHomeRunWithThePlaylistsChannels() throws Exception {
        JsonNode discover = ResponseJson.of(server.get("/discover.json"));
        JsonNode lineup = ResponseJson.of(server.get("/lineup.json"));
        JsonNode status = ResponseJson.of(server.get("/lineup_status.json"));
        String deviceXml = server.get("/device.xml").body();
        String installId = Files.readString(server.dataDir().resolve(InstallId.FILE_NAME)).strip();

        for (String field : List.of("FriendlyName", "Manufacturer", "ModelNumber", "FirmwareName", "FirmwareVersion",
                "DeviceAuth")) {
            assertThat(discover.path(field).asText()).as(field).isNotBlank();
        }
        String deviceId = discover.path("DeviceID").asText();
        assertThat(deviceId).matches("[0-9A-F]{8}").isEqualTo(DeviceId.of(installId).hex());
        assertThat(DeviceId.valid(Integer.parseUnsignedInt(deviceId, 16))).isTrue();
        assertThat(discover.path("BaseURL").asText()).isEqualTo(server.url());
        assertThat(discover.path("LineupURL").asText()).isEqualTo(server.url() + "/lineup.json");
        assertThat(discover.path("TunerCount").asInt()).isEqualTo(64);
        List<M3uReader.Entry> m3u = playlist();
        assertThat(lineup).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode channel = lineup.get(i);
            String number = m3u.get(i).attribute("tvg-chno");
            assertThat(channel.path("GuideNumber").asText()).isEqualTo(number);
            assertThat(channel.path("GuideName").asText()).isEqualTo(m3u.get(i).title());
            assertThat(channel.path("URL").asText()).isEqualTo(server.url() + "/auto/v" + number).doesNotContain("?");
            assertThat(channel.path("HD").asInt()).isZero();
        }
        assertThat(status.path("ScanInProgress").asInt()).isZero();
        assertThat(status.path("SourceList").get(0).asText()).isEqualTo("Cable");
        Document device = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(deviceXml.getBytes(StandardCharsets.UTF_8)));
        assertThat(device.getElementsByTagName("serialNumber").item(0).getTextContent()).isEqualTo(deviceId);
        assertThat(device.getElementsByTagName("UDN").item(0).getTextContent()).startsWith("uuid:");
        assertThat(device.getElementsByTagName("URLBase").item(0).getTextContent()).isEqualTo(server.url());
        assertThat(server.server().streams().all()).isEmpty();
    }

    @Test
    void aTunerUrlPlaysInFfprobe() throws Exception {
        ToolRun probe = ToolRun.succeed("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of",
                "csv=p=0", server.url() + "/auto/v5");

        assertThat(probe.stdout()).contains("h264");
        assertThat(server.server().streams().find("news")).isPresent();
    }

    @Test
    void badTunerUrlsAndTokenPathsAreRefusedAndStartNothing() {
        Map<String, String> expected = Map.of("/auto/v", "invalid_tuning", "/auto/5", "invalid_tuning",
                "/auto/v99999999999", "invalid_tuning", "/auto/v77", "channel_not_found",
                "/s/some-token/playlist.m3u", "not_found", "/s/some-token/live/news.ts", "not_found");
        Map<String, Integer> status = Map.of("invalid_tuning", 400, "channel_not_found", 404, "not_found", 404);

        expected.forEach((path, code) -> {
            HttpResponse<String> r = server.get(path);

            assertThat(r.statusCode()).as(path).isEqualTo(status.get(code));
            assertThat(ResponseJson.of(r).path("error").path("code").asText()).as(path).isEqualTo(code);
        });
        assertThat(server.server().streams().all()).isEmpty();
        assertThat(server.pipelinePids()).isEmpty();
    }

    @Test
    void theDeviceIdSurvivesARestartAndDiffersBetweenInstalls(@TempDir Path dir) throws IOException {
        Map<String, String> settings = Map.of("data_dir", dir.resolve("data").toString());
        String first;
        try (TestServer one = TestServer.start(TestServer.testChannel("x"), settings)) {
            first = ResponseJson.of(one.get("/discover.json")).path("DeviceID").asText();
        }
        String again;
        try (TestServer restarted = TestServer.start(TestServer.testChannel("x"), settings)) {
            again = ResponseJson.of(restarted.get("/discover.json")).path("DeviceID").asText();
        }

        assertThat(again).isEqualTo(first);
        assertThat(ResponseJson.of(server.get("/discover.json")).path("DeviceID").asText()).isNotEqualTo(first);
    }
}
