package dev.headend.web.iptv;

import dev.headend.channel.Channel;
import java.util.function.Function;

/**
 * The extended M3U playlist of IPTV players: {@code #EXTM3U} with the guide's URL, then for each
 * channel an {@code #EXTINF} line (guide id, name, logo, number, group) and its stream URL.
 * Attribute values never hold a double quote or a line break (they would end the attribute or
 * the entry): quotes become apostrophes, line breaks spaces.
 */
final class M3uPlaylist {
    private M3uPlaylist() {}

    /**
     * @param guideUrl the XMLTV guide, given as {@code x-tvg-url}
     * @param streamUrl the URL each channel plays from
     */
    static String render(Lineup lineup, String guideUrl, Function<Channel, String> streamUrl) {
        StringBuilder m3u = new StringBuilder("#EXTM3U x-tvg-url=\"").append(clean(guideUrl)).append("\"\n");
        for (Lineup.Entry e : lineup.entries()) {
            Channel c = e.channel();
            m3u.append("#EXTINF:-1 tvg-id=\"").append(e.guideId()).append('"')
                    .append(" tvg-name=\"").append(clean(c.name())).append('"')
                    .append(" tvg-logo=\"").append(clean(c.logo().orElse(""))).append('"')
                    .append(" tvg-chno=\"").append(e.number()).append('"')
                    .append(" group-title=\"").append(clean(c.group().orElse(""))).append('"')
                    .append(',').append(c.name().replace('\r', ' ').replace('\n', ' ')).append('\n')
                    .append(streamUrl.apply(c)).append('\n');
        }
        return m3u.toString();
    }

    private static String clean(String value) {
        return value.replace('"', '\'').replace('\r', ' ').replace('\n', ' ');
    }
}
