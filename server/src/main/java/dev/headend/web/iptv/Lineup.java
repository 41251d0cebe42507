package dev.headend.web.iptv;

import dev.headend.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Every channel with the guide number the IPTV outputs give it, sorted by number. A configured
 * number is kept (the first channel in configuration order keeps a number two of them claim);
 * any other channel gets a number in {@value #FIRST_AUTO}–{@value #LAST_AUTO} derived from its
 * id, so that adding, removing or reordering other channels does not renumber it: only a clash
 * with a taken number moves it, to the next free number, clashes being settled in id order.
 * When every number of that range is taken (an imported lineup of thousands of numbered
 * channels), the channel gets the first free number above it.
 */
public record Lineup(List<Entry> entries) {
    static final int FIRST_AUTO = 1000;
    static final int LAST_AUTO = 9999;

    /** One channel and its guide number. */
    public record Entry(Channel channel, int number) {
        /**
         * The channel's id in the guide, the M3U {@code tvg-id} and the XMLTV channel id alike, in
         * the dotted form XMLTV recommends (RFC 2838): the channel id with {@code _} written as
         * {@code .}, then {@code .headend} ({@code cam_1} is {@code cam.1.headend}). Channel ids
         * hold no dot (see {@link Channel#ID}), so distinct channels keep distinct guide ids; an
         * id with {@code __} or a final {@code _} gives an empty label, still valid for the DTD.
         */
        public String guideId() {
            return channel.id().replace('_', '.') + ".headend";
        }
    }

    public Lineup {
        entries = List.copyOf(entries);
    }

    public static Lineup of(Collection<Channel> channels) {
        Map<Integer, Channel> taken = new HashMap<>();
        List<Channel> unnumbered = new ArrayList<>();
        for (Channel c : channels) {
            if (c.number().isPresent() && !taken.containsKey(c.number().get())) {
                taken.put(c.number().get(), c);
            } else {
                unnumbered.add(c);
            }
        }
        unnumbered.sort(Comparator.comparing(Channel::id));
        int span = LAST_AUTO - FIRST_AUTO + 1;
        for (Channel c : unnumbered) {
            int offset = preferredOffset(c.id(), span);
            for (int tries = 0; tries < span && taken.containsKey(FIRST_AUTO + offset); tries++) {
                offset = (offset + 1) % span;
            }
            int number = FIRST_AUTO + offset;
            if (taken.containsKey(number)) {
                number = LAST_AUTO + 1;
                while (taken.containsKey(number)) {
                    number++;
                }
            }
            taken.put(number, c);
        }
        List<Entry> entries = new ArrayList<>();
        taken.forEach((number, channel) -> entries.add(new Entry(channel, number)));
        entries.sort(Comparator.comparingInt(Entry::number));
        return new Lineup(entries);
    }

    /** The channel tuned by guide number {@code number}. */
    public Optional<Entry> byNumber(int number) {
        return entries.stream().filter(e -> e.number() == number).findFirst();
    }

    private static int preferredOffset(String id, int span) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % span);
    }
}
