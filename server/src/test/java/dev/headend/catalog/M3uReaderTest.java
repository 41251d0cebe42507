package dev.headend.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class M3uReaderTest {
    private static List<M3uReader.Item> read(String text) {
        return M3uReader.read(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The problems' lines and codes (messages are checked where they matter). */
    private static List<String> problems(List<M3uReader.Item> items) {
        return items.stream().filter(i -> i instanceof M3uReader.Problem).map(i -> (M3uReader.Problem) i)
                .map(p -> p.line() + ":" + p.code()).toList();
    }

    @Test
    void readsEntriesWithTheirAttributesTitleAndUrl() {
        List<M3uReader.Item> items = read("""
                \uFEFF#EXTM3U x-tvg-url="http://guide.example/epg.xml"
                #EXTINF:-1 tvg-id="news.us" tvg-name="News" tvg-logo="http://img.example/a, b.png" tvg-chno=7 \
                group-title="Local, City",News, Weather & Sport
                #EXTVLCOPT:http-user-agent=VLC
                http://streams.example/news.ts\r
                #EXTINF:0 TVG-ID="x",
                rtsp://cam.example/1
                """);

        assertThat(items).containsExactly(
                new M3uReader.Entry(2, Map.of("tvg-id", "news.us", "tvg-name", "News", "tvg-logo",
                        "http://img.example/a, b.png", "tvg-chno", "7", "group-title", "Local, City"),
                        "News, Weather & Sport", "http://streams.example/news.ts"),
                new M3uReader.Entry(5, Map.of("tvg-id", "x"), "", "rtsp://cam.example/1"));
        assertThat(M3uReader.extended("\uFEFF  \n#EXTM3U\n".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(M3uReader.extended("<html>".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void extgrpGivesTheGroupWhenGroupTitleDoesNot() {
        List<M3uReader.Item> items = read("""
                #EXTM3U
                #EXTINF:-1,A
                #EXTGRP:Sports
                http://a.example/a
                #EXTINF:-1 group-title="News",B
                #EXTGRP:Sports
                http://b.example/b
                """);

        assertThat(items).extracting(i -> ((M3uReader.Entry) i).attribute("group-title").orElseThrow())
                .containsExactly("Sports", "News");
    }

    @Test
    void anEntryWithoutUrlAndAUrlWithoutEntryAreReportedByLine() {
        List<M3uReader.Item> items = read("""
                #EXTM3U
                http://orphan.example/x
                #EXTINF:-1,No URL
                #EXTINF:-1,Good
                http://good.example/x
                #EXTINF:-1,Last
                """);

        assertThat(problems(items)).containsExactly("2:missing_extinf", "3:missing_url", "6:missing_url");
        assertThat(items).filteredOn(i -> i instanceof M3uReader.Entry).extracting(M3uReader.Item::line)
                .containsExactly(4);
    }

    @Test
    void aLongLineOrBadUtf8DropsItsEntryAndOnlyIt() {
        ByteArrayOutputStream m3u = new ByteArrayOutputStream();
        m3u.writeBytes("#EXTM3U\n#EXTINF:-1,Long URL\nhttp://x.example/".getBytes(StandardCharsets.UTF_8));
        m3u.writeBytes("a".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        m3u.writeBytes("\n#EXTINF:-1,Caf".getBytes(StandardCharsets.UTF_8));
        m3u.writeBytes(new byte[] {(byte) 0xe9, ' ', (byte) 0xff});
        m3u.writeBytes("\nhttp://skipped.example/\n#EXTINF:-1,Fine\nhttp://fine.example/\n"
                .getBytes(StandardCharsets.UTF_8));

        List<M3uReader.Item> items = M3uReader.read(m3u.toByteArray());

        assertThat(problems(items)).containsExactly("3:line_too_long", "4:invalid_utf8");
        assertThat(((M3uReader.Problem) items.get(0)).message()).contains("100017 bytes").contains("line 2");
        assertThat(items.get(2)).isEqualTo(new M3uReader.Entry(6, Map.of(), "Fine", "http://fine.example/"));
        assertThat(items).hasSize(3);
    }

    @Test
    void nonAsciiLinesAreDecodedAsUtf8BeforeAndAfterAnInvalidLine() {
        ByteArrayOutputStream m3u = new ByteArrayOutputStream();
        m3u.writeBytes("#EXTM3U\n#EXTINF:-1 group-title=\"Télé\",Café 東京\nhttp://a.example/é\n"
                .getBytes(StandardCharsets.UTF_8));
        m3u.writeBytes("#EXTINF:-1,Bad ".getBytes(StandardCharsets.UTF_8));
        m3u.writeBytes(new byte[] {(byte) 0xc3, '\n'});
        m3u.writeBytes("http://skipped.example/\n#EXTINF:-1,Über\nhttp://b.example/ü\n".getBytes(StandardCharsets.UTF_8));

        List<M3uReader.Item> items = M3uReader.read(m3u.toByteArray());

        assertThat(problems(items)).containsExactly("4:invalid_utf8");
        assertThat(items).containsExactly(
                new M3uReader.Entry(2, Map.of("group-title", "Télé"), "Café 東京", "http://a.example/é"),
                items.get(1),
                new M3uReader.Entry(6, Map.of(), "Über", "http://b.example/ü"));
    }

    @Test
    void blankLinesCommentsAndAnEmptyPlaylistGiveNothing() {
        assertThat(read("#EXTM3U\n\n# a comment\n   \n")).isEmpty();
        assertThat(read("")).isEmpty();
    }
}
