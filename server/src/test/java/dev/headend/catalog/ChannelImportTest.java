package dev.headend.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelImportTest {
    private static List<ChannelImport.Line> lines(String m3u) {
        return ChannelImport.lines(M3uReader.read(m3u.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEntryBecomesADefinitionWithItsIdNameNumberGroupLogoAndSource() {
        List<ChannelImport.Line> lines = lines("""
                #EXTM3U
                #EXTINF:-1 tvg-id="News.US" tvg-chno="7" group-title="Local" tvg-logo="http://img.example/n.png",News HD
                https://streams.example/news.m3u8
                #EXTINF:-1 tvg-name="Only Name",
                udp://239.0.0.1:1234
                #EXTINF:-1 tvg-chno="5.1",Sub Channel
                http://streams.example/5-1.ts
                """);

        assertThat(lines).hasSize(3);
        ChannelImport.Candidate news = (ChannelImport.Candidate) lines.get(0);
        assertThat(news.line()).isEqualTo(2);
        assertThat(news.definition().toString()).isEqualTo("{\"id\":\"news-us\",\"name\":\"News HD\",\"number\":7,"
                + "\"group\":\"Local\",\"logo\":\"http://img.example/n.png\",\"source\":"
                + "\"https://streams.example/news.m3u8\"}");
        assertThat(((ChannelImport.Candidate) lines.get(1)).definition().toString())
                .isEqualTo("{\"id\":\"only-name\",\"name\":\"Only Name\",\"source\":\"udp://239.0.0.1:1234\"}");
        assertThat(((ChannelImport.Candidate) lines.get(2)).definition().get("number").asText())
                .as("left for the channel validation to refuse").isEqualTo("5.1");
    }

    @Test
    void onlyNetworkSourcesAreAccepted() {
        List<ChannelImport.Line> lines = lines("""
                #EXTM3U
                #EXTINF:-1,A
                file:/etc/passwd
                #EXTINF:-1,B
                pipe:0
                #EXTINF:-1,C
                test:
                #EXTINF:-1,D
                push:d
                #EXTINF:-1,E
                concat:http://a.example/1|http://a.example/2
                #EXTINF:-1,F
                http:no-slashes
                #EXTINF:-1,G
                just some text
                #EXTINF:-1,H
                rtmp://live.example/app/key
                """);

        assertThat(lines).extracting(l -> l instanceof ChannelImport.Rejected r ? r.id() + ":" + r.code()
                : ((ChannelImport.Candidate) l).id() + ":ok").containsExactly("a:unsupported_source",
                "b:unsupported_source", "c:unsupported_source", "d:unsupported_source", "e:unsupported_source",
                "f:unsupported_source", "g:unsupported_source", "h:ok");
        assertThat(((ChannelImport.Rejected) lines.get(0)).message()).contains("'file'").doesNotContain("passwd");
    }

    @Test
    void anEntryWithNothingToMakeAnIdOfIsRefused() {
        List<ChannelImport.Line> lines = lines("#EXTM3U\n#EXTINF:-1 tvg-id=\"***\",!!!\nhttp://a.example/\n");

        assertThat(lines).singleElement().isInstanceOfSatisfying(ChannelImport.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("no_id");
            assertThat(r.line()).isEqualTo(2);
        });
    }

    @Test
    void aLineThatDropsAnEntryIsReportedWithTheIdTheEntryWouldHaveHad() {
        List<ChannelImport.Line> lines = lines("#EXTM3U\n#EXTINF:-1 tvg-id=\"news.us\",News\n#EXTINF:-1,Sport\n");

        assertThat(lines).extracting(l -> ((ChannelImport.Rejected) l).id() + ":" + ((ChannelImport.Rejected) l).code())
                .containsExactly("news-us:missing_url", "sport:missing_url");
    }
}
