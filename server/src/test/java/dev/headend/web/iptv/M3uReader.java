package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an extended M3U playlist as IPTV players do, sharing no code with the server: the
 * header's {@code x-tvg-url}, then pairs of an {@code #EXTINF:-1} line (quoted attributes, a
 * comma, the title) and a URL line. Fails the test on anything else.
 */
final class M3uReader {
    private static final Pattern ATTRIBUTE = Pattern.compile("\\G ([a-z-]+)=\"([^\"]*)\"");
    private static final String EXTINF = "#EXTINF:-1";

    /** One playlist entry. */
    record Entry(Map<String, String> attributes, String title, String url) {
        String attribute(String name) {
            assertThat(attributes).containsKey(name);
            return attributes.get(name);
        }
    }

    private M3uReader() {}

    static String guideUrl(String m3u) {
        String header = m3u.lines().findFirst().orElseThrow();
        Matcher m = ATTRIBUTE.matcher(header).region("#EXTM3U".length(), header.length());
        assertThat(header).startsWith("#EXTM3U");
        assertThat(m.find()).as(header).isTrue();
        assertThat(m.group(1)).isEqualTo("x-tvg-url");
        return m.group(2);
    }

    static List<Entry> parse(String m3u) {
        List<String> lines = m3u.lines().toList();
        assertThat(lines.getFirst()).startsWith("#EXTM3U");
        assertThat(lines.size() % 2).as("an #EXTINF line and a URL per entry").isEqualTo(1);
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < lines.size(); i += 2) {
            String info = lines.get(i);
            assertThat(info).startsWith(EXTINF + " ");
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher m = ATTRIBUTE.matcher(info).region(EXTINF.length(), info.length());
            int end = EXTINF.length();
            while (m.find()) {
                attributes.put(m.group(1), m.group(2));
                end = m.end();
            }
            assertThat(info.charAt(end)).as(info).isEqualTo(',');
            assertThat(lines.get(i + 1)).doesNotStartWith("#");
            entries.add(new Entry(attributes, info.substring(end + 1), lines.get(i + 1)));
        }
        return entries;
    }
}
