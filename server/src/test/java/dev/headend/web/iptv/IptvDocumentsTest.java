package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelGuide;
import dev.headend.channel.GuideProgramme;
import dev.headend.channel.GuideSettings;
import dev.headend.support.TestChannels;
import java.io.ByteArrayInputStream;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The M3U playlist and the XMLTV guide as documents, read back by parsers that share nothing with them. */
class IptvDocumentsTest {
    private static final Instant NOW = Instant.parse("2026-03-29T00:41:07Z");
    private static final DateTimeFormatter XMLTV_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss Z");
    private static final GuideSettings UTC_DAY = new GuideSettings(Duration.ofHours(24), ZoneOffset.UTC);

    private static final Lineup LINEUP = Lineup.of(List.of(
            named(TestChannels.numbered(TestChannels.onDemand("news", "test:"), 5), "News, \"Live\"\n& more",
                    "Local", "https://img.example/n.png?a=1&b=\"2\""),
            named(TestChannels.onDemand("cam_1", "test:"), "Garden\u0007 cam", "", "")));

    private static Channel named(Channel c, String name, String group, String logo) {
        return new Channel(c.id(), name, c.number(), group.isEmpty() ? Optional.empty() : Optional.of(group),
                logo.isEmpty() ? Optional.empty() : Optional.of(logo), c.sources(), c.profile(), c.onDemand(),
                c.linger(), c.slate(), c.throttle(), c.tsStartSlate());
    }

    @Test
    void theM3uHasOneEntryPerChannelWithItsGuideDataAndUrl() {
        String m3u = M3uPlaylist.render(LINEUP, "http://h:1/epg.xml", c -> "http://h:1/live/" + c.id() + ".ts");
        List<M3uReader.Entry> entries = M3uReader.parse(m3u);

        assertThat(M3uReader.guideUrl(m3u)).isEqualTo("http://h:1/epg.xml");
        assertThat(m3u).endsWith("\n");
        assertThat(entries).hasSize(2);
        M3uReader.Entry news = entries.getFirst();
        assertThat(news.attributes()).containsExactly(Map.entry("tvg-id", "news.headend"),
                Map.entry("tvg-name", "News, 'Live' & more"), Map.entry("tvg-logo", "https://img.example/n.png?a=1&b='2'"),
                Map.entry("tvg-chno", "5"), Map.entry("group-title", "Local"));
        assertThat(news.title()).isEqualTo("News, \"Live\" & more");
        assertThat(news.url()).isEqualTo("http://h:1/live/news.ts");
        assertThat(entries.get(1).attributes()).containsEntry("tvg-id", "cam.1.headend")
                .containsEntry("group-title", "").containsEntry("tvg-chno",
                        Integer.toString(LINEUP.entries().get(1).number()));
    }

    @Test
    void theGuideHasEveryChannelAndHourlyBlocksCoveringTheNext24Hours() throws Exception {
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document guide = xml.newDocumentBuilder()
                .parse(new ByteArrayInputStream(XmltvGuide.render(LINEUP, NOW, UTC_DAY)));

        NodeList channels = guide.getElementsByTagName("channel");
        assertThat(channels.getLength()).isEqualTo(2);
        Element news = (Element) channels.item(0);
        assertThat(news.getAttribute("id")).isEqualTo("news.headend");
        assertThat(texts(news, "display-name")).containsExactly("5 News, \"Live\"\n& more", "News, \"Live\"\n& more", "5");
        assertThat(((Element) news.getElementsByTagName("icon").item(0)).getAttribute("src"))
                .isEqualTo("https://img.example/n.png?a=1&b=\"2\"");
        assertThat(texts((Element) channels.item(1), "display-name")).contains("Garden cam");

        for (Lineup.Entry entry : LINEUP.entries()) {
            List<OffsetDateTime[]> blocks = new ArrayList<>();
            NodeList programmes = guide.getElementsByTagName("programme");
            for (int i = 0; i < programmes.getLength(); i++) {
                Element p = (Element) programmes.item(i);
                if (p.getAttribute("channel").equals(entry.guideId())) {
                    assertThat(p.getAttribute("start")).matches("[0-9]{14} \\+0000");
                    blocks.add(new OffsetDateTime[] {OffsetDateTime.parse(p.getAttribute("start"), XMLTV_TIME),
                            OffsetDateTime.parse(p.getAttribute("stop"), XMLTV_TIME)});
                    assertThat(texts(p, "title")).hasSize(1);
                }
            }
            assertThat(blocks.getFirst()[0].toInstant()).isEqualTo(Instant.parse("2026-03-29T00:00:00Z"));
            assertThat(blocks.getLast()[1].toInstant()).isAfterOrEqualTo(NOW.plus(Duration.ofHours(24)));
            for (int i = 0; i < blocks.size(); i++) {
                assertThat(Duration.between(blocks.get(i)[0], blocks.get(i)[1])).isEqualTo(Duration.ofHours(1));
                if (i > 0) {
                    assertThat(blocks.get(i)[0]).isEqualTo(blocks.get(i - 1)[1]);
                }
            }
        }
    }

    @Test
    void aChannelsGuideGivesItsProgrammesInItsZoneAcrossAChangeOfClocksAndPlaceholdersFillTheGaps() throws Exception {
        ChannelGuide paris = new ChannelGuide(Optional.of(ZoneId.of("Europe/Paris")), List.of(
                new GuideProgramme("Night film", Optional.empty(), Optional.empty(), EnumSet.allOf(DayOfWeek.class),
                        LocalTime.of(0, 30), Duration.ofHours(3)),
                new GuideProgramme("Breakfast", Optional.of("Headlines & weather"), Optional.of("News"),
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(7, 0), Duration.ofHours(2)),
                new GuideProgramme("Evening <news>", Optional.empty(), Optional.of("News"),
                        EnumSet.allOf(DayOfWeek.class), LocalTime.of(20, 0), Duration.ofHours(1))));
        Channel news = TestChannels.numbered(TestChannels.onDemand("news", "test:"), 5);
        Channel guided = new Channel(news.id(), "News", news.number(), news.group(), news.logo(), news.sources(),
                news.profile(), news.onDemand(), news.linger(), news.slate(), news.throttle(), news.tsStartSlate(),
                Optional.of(paris));
        Lineup lineup = Lineup.of(List.of(guided, TestChannels.onDemand("cam", "test:")));
        GuideSettings twoDays = new GuideSettings(Duration.ofHours(48), ZoneOffset.UTC);

        List<String> programmes = programmes(XmltvGuide.render(lineup, NOW, twoDays), "news.headend");

        assertThat(programmes).startsWith(
                "20260329003000 +0100|20260329033000 +0200|Night film||",
                "20260329033000 +0200|20260329040000 +0200|News||",
                "20260329040000 +0200|20260329050000 +0200|News||");
        assertThat(programmes).containsSubsequence(
                "20260329190000 +0200|20260329200000 +0200|News||",
                "20260329200000 +0200|20260329210000 +0200|Evening <news>||News",
                "20260329210000 +0200|20260329220000 +0200|News||",
                "20260330000000 +0200|20260330003000 +0200|News||",
                "20260330003000 +0200|20260330033000 +0200|Night film||",
                "20260330070000 +0200|20260330090000 +0200|Breakfast|Headlines & weather|News",
                "20260330200000 +0200|20260330210000 +0200|Evening <news>||News");
        assertThat(programmes.getLast()).isEqualTo("20260331003000 +0200|20260331033000 +0200|Night film||");
        for (int i = 1; i < programmes.size(); i++) {
            assertThat(programmes.get(i).split("\\|")[0]).as("contiguous")
                    .isEqualTo(programmes.get(i - 1).split("\\|")[1]);
        }
        assertThat(programmes(XmltvGuide.render(lineup, NOW, twoDays), "cam.headend")).hasSize(49)
                .allMatch(p -> p.matches("[0-9]{10}0000 \\+0000\\|[0-9]{10}0000 \\+0000\\|Channel cam\\|\\|"));
    }

    /** The programmes of one channel as {@code start|stop|title|desc|category}. */
    private static List<String> programmes(byte[] xml, String channel) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        NodeList nodes = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml))
                .getElementsByTagName("programme");
        List<String> programmes = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element p = (Element) nodes.item(i);
            if (p.getAttribute("channel").equals(channel)) {
                programmes.add(String.join("|", p.getAttribute("start"), p.getAttribute("stop"),
                        String.join(",", texts(p, "title")), String.join(",", texts(p, "desc")),
                        String.join(",", texts(p, "category"))));
            }
        }
        return programmes;
    }

    private static List<String> texts(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
