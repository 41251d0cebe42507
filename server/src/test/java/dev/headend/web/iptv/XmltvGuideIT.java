package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A channel's {@code guide:} section in the served XMLTV guide: valid against the DTD and for
 * XMLTV's validator, its programmes at their wall-clock times in their zone with its offset,
 * placeholders where it has none; a reload with a bad guide is refused and changes nothing, a
 * good one shows at once.
 */
@NeedsFfmpeg
class XmltvGuideIT {
    private static final DateTimeFormatter XMLTV_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss Z");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static String news(String programmes) {
        return TestServer.testChannel("news") + """
                    number: 7
                    guide:
                      time_zone: Europe/Paris
                      programmes:
                """ + programmes.indent(8);
    }

    private static final String GUIDE = """
            - title: Morning & more
              description: "Headlines <live>"
              category: News
              start: "06:00"
              duration: 6h
            - title: Afternoon
              category: Magazine
              start: "12:00"
              duration: 12h
            """;

    @AutoClose
    private final TestServer server = TestServer.start(news(GUIDE) + TestServer.testChannel("cam"),
            Map.of("guide_hours", "30", "guide_time_zone", "UTC"));

    /** A programme as served: channel, start, stop, title, desc, category. */
    private record Programme(String channel, OffsetDateTime start, OffsetDateTime stop, String title, String desc,
            String category) {}

    @Test
    void theGuidesProgrammesAreServedAtTheirWallClockTimesAndPassTheDtd(@TempDir Path dir) throws Exception {
        Instant before = Instant.now();
        byte[] xml = server.getBytes("/epg.xml").body();
        Instant after = Instant.now();
        Path file = dir.resolve("epg.xml");
        Files.write(file, xml);

        ToolRun.succeed("xmllint", "--noout", "--dtdvalid", IptvOutputsIT.XMLTV_DTD.toString(), file.toString());
        ToolRun validator = ToolRun.succeed("env", "XMLTV_SUPPLEMENT=" + IptvOutputsIT.XMLTV_DTD.getParent(),
                "tv_validate_file", file.toString());
        assertThat(validator.stdout() + validator.stderr()).contains("Validated ok");

        List<Programme> news = programmes(xml, "news.headend");
        for (Programme p : news) {
            assertThat(p.start().getOffset()).as("Paris time: %s", p).isEqualTo(PARIS.getRules()
                    .getOffset(p.start().toInstant()));
            String local = p.start().toLocalTime() + "-" + p.stop().toLocalTime();
            switch (p.title()) {
                case "Morning & more" -> {
                    assertThat(local).isEqualTo("06:00-12:00");
                    assertThat(p.desc()).isEqualTo("Headlines <live>");
                    assertThat(p.category()).isEqualTo("News");
                }
                case "Afternoon" -> {
                    assertThat(local).isEqualTo("12:00-00:00");
                    assertThat(p.desc()).isEmpty();
                    assertThat(p.category()).isEqualTo("Magazine");
                }
                default -> {
                    assertThat(p.title()).isEqualTo("Test news");
                    assertThat(p.start().toLocalTime().getHour()).as("placeholders fill 00:00-06:00").isLessThan(6);
                    assertThat(Duration.between(p.start(), p.stop())).isLessThanOrEqualTo(Duration.ofHours(1));
                }
            }
        }
        assertThat(news).extracting(Programme::title).contains("Morning & more", "Afternoon", "Test news");
        for (int i = 1; i < news.size(); i++) {
            assertThat(news.get(i).start().toInstant()).isEqualTo(news.get(i - 1).stop().toInstant());
        }
        assertThat(news.getFirst().start().toInstant()).isBeforeOrEqualTo(after);
        assertThat(news.getLast().stop().toInstant()).isAfterOrEqualTo(before.plus(Duration.ofHours(30)));
        assertThat(programmes(xml, "cam.headend")).allSatisfy(p -> {
            assertThat(p.start().getOffset().getTotalSeconds()).as("guide_time_zone UTC").isZero();
            assertThat(p.title()).isEqualTo("Test cam");
        });
    }

    @Test
    void aReloadWithABadGuideIsRefusedAndChangesNothingAndAGoodOneShowsAtOnce() throws Exception {
        List<String> titles = titles(server.getBytes("/epg.xml").body());
        String overlapping = GUIDE + """
                - title: Lunch
                  start: "11:30"
                  duration: 1h
                """;

        server.rewriteChannels(news(overlapping) + TestServer.testChannel("cam"));
        HttpResponse<String> refused = server.post("/api/config/reload");

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(ResponseJson.of(refused).path("error").path("message").asText()).contains(
                "channel news guide: programmes 'Morning & more'", "and 'Lunch'", "overlap",
                "the running configuration is unchanged");
        assertThat(titles(server.getBytes("/epg.xml").body())).isEqualTo(titles);

        server.rewriteChannels(news(GUIDE.replace("Afternoon", "Matinee")) + TestServer.testChannel("cam"));
        HttpResponse<String> reloaded = server.post("/api/config/reload");

        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        assertThat(titles(server.getBytes("/epg.xml").body())).contains("Matinee").doesNotContain("Afternoon");
        assertThat(server.server().streams().all()).isEmpty();
    }

    private static List<String> titles(byte[] xml) throws Exception {
        return programmes(xml, "news.headend").stream().map(Programme::title).distinct().sorted().toList();
    }

    private static List<Programme> programmes(byte[] xml, String channel) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList nodes = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml))
                .getElementsByTagName("programme");
        List<Programme> programmes = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element p = (Element) nodes.item(i);
            if (p.getAttribute("channel").equals(channel)) {
                programmes.add(new Programme(channel, OffsetDateTime.parse(p.getAttribute("start"), XMLTV_TIME),
                        OffsetDateTime.parse(p.getAttribute("stop"), XMLTV_TIME), text(p, "title"), text(p, "desc"),
                        text(p, "category")));
            }
        }
        return programmes;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
