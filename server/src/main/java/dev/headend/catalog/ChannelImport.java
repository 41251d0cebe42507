package dev.headend.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Channels made from an M3U playlist's entries: each entry becomes a channel definition (the
 * keys of a configuration file's channel entry) with its id from {@code tvg-id}, else the title,
 * else {@code tvg-name} (normalised by {@link ChannelIds}), its name from the title, its number
 * from {@code tvg-chno}, its group from {@code group-title}, its logo from {@code tvg-logo} and
 * its URL as the source. {@link ChannelRegistry#importChannels} validates and creates them.
 *
 * <p>Invariant: an imported source is a network URL ({@link #SCHEMES}): an import never names a
 * local file, a pipe, a relay stream or any other protocol FFmpeg would open.
 */
public final class ChannelImport {
    /** The source schemes an import accepts. */
    public static final Set<String> SCHEMES = Set.of("http", "https", "rtsp", "rtsps", "udp", "srt", "rtmp");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,19}");

    /** One line of an import: a definition to create or a refusal. */
    public sealed interface Line {
        /** The 1-based line of the playlist (an entry's {@code #EXTINF} line). */
        int line();
    }

    /** A definition to validate and create. */
    public record Candidate(int line, String id, ObjectNode definition) implements Line {}

    /**
     * A line that creates nothing.
     *
     * @param id the channel id the entry would have had; null when it has none
     * @param code {@code missing_url}, {@code missing_extinf}, {@code line_too_long}, {@code invalid_utf8},
     *     {@code unsupported_source}, {@code no_id}, {@code duplicate_id}, {@code channel_exists} or
     *     {@code invalid_channel}
     */
    public record Rejected(int line, String id, String code, String message) implements Line {}

    /** A channel created (or, in a dry run, that would be). */
    public record Created(int line, Channel channel) {}

    /**
     * What an import did.
     *
     * @param stored whether {@code created} were stored and are served (false in a dry run and
     *     when an all-or-nothing import had a rejected line)
     */
    public record Result(List<Created> created, List<Rejected> rejected, boolean stored) {}

    private ChannelImport() {}

    /** The lines of a read playlist, in its order. */
    public static List<Line> lines(List<M3uReader.Item> items) {
        List<Line> lines = new ArrayList<>(items.size());
        for (M3uReader.Item item : items) {
            lines.add(switch (item) {
                case M3uReader.Problem p -> new Rejected(p.line(), p.entry().flatMap(ChannelImport::id).orElse(null),
                        p.code(), p.message());
                case M3uReader.Entry e -> line(e);
            });
        }
        return lines;
    }

    /** The channel id of an entry: its {@code tvg-id}, else its title, else its {@code tvg-name}, normalised. */
    private static Optional<String> id(M3uReader.Entry e) {
        return e.attribute("tvg-id").flatMap(ChannelIds::normalise)
                .or(() -> title(e).flatMap(ChannelIds::normalise))
                .or(() -> e.attribute("tvg-name").flatMap(ChannelIds::normalise));
    }

    private static Optional<String> title(M3uReader.Entry e) {
        return e.title().isBlank() ? Optional.empty() : Optional.of(e.title().strip());
    }

    private static Line line(M3uReader.Entry e) {
        Optional<String> title = title(e);
        Optional<String> id = id(e);
        if (id.isEmpty()) {
            return new Rejected(e.line(), null, "no_id", "the entry of line " + e.line() + " has no tvg-id, title or"
                    + " tvg-name with a letter or digit to make a channel id of");
        }
        int colon = e.url().indexOf(':');
        String scheme = colon > 0 ? e.url().substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (!SCHEMES.contains(scheme) || !e.url().startsWith("//", colon + 1)) {
            return new Rejected(e.line(), id.get(), "unsupported_source", (!SCHEME.matcher(scheme).matches()
                    ? "the entry's URL has no scheme" : "the entry's URL has the scheme '" + scheme + "'")
                    + "; an import accepts only " + String.join(", ", SCHEMES.stream().sorted().toList())
                    + " URLs (create channels of other sources with POST /api/channels)");
        }
        ObjectNode definition = JsonNodeFactory.instance.objectNode();
        definition.put("id", id.get());
        definition.put("name", title.or(() -> e.attribute("tvg-name")).orElse(id.get()));
        e.attribute("tvg-chno").ifPresent(n -> {
            if (NUMBER.matcher(n).matches()) {
                definition.put("number", Integer.parseInt(n));
            } else {
                definition.put("number", n);
            }
        });
        e.attribute("group-title").ifPresent(g -> definition.put("group", g));
        e.attribute("tvg-logo").ifPresent(l -> definition.put("logo", l));
        definition.put("source", e.url());
        return new Candidate(e.line(), id.get(), definition);
    }
}
