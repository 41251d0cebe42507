package dev.headend.cluster;

import dev.headend.stream.PlaylistContinuity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A channel's playlist numbering as its owner records it in Redis ({@code
 * headend:playlist:{channel}}), and how the next owner continues from it. Pure.
 *
 * <p>Invariant: every media sequence number below {@code nextSequence} may have been listed to a
 * player (the owner records the number of its open segment, which no playlist lists yet, so a
 * recorded state is ahead of every playlist served before it was written). Segments listed after
 * the last record are counted by {@link #resume}: while the owner's run was {@code live}, one
 * number for every {@link #SHORTEST_SEGMENT} (or the shortest recent segment, when longer) of
 * the record's age, and one more, are skipped; so are as many discontinuities. A run that ended
 * on purpose recorded its end, and is continued exactly.
 *
 * @param node the node that wrote it
 * @param token the fencing token of that node's lease
 * @param nextSequence the media sequence number of the next segment after the newest one numbered
 * @param discontinuitySequence the discontinuities up to the newest segment numbered
 * @param recent the newest listed segments, oldest first (the playlist window)
 * @param live true while the node's stream runs; false once it ended (stopped, idle, failed)
 */
public record PlaylistState(String node, long token, long nextSequence, long discontinuitySequence,
        List<RecentSegment> recent, boolean live) {
    /** The shortest segment assumed when counting segments listed after the last record. */
    static final Duration SHORTEST_SEGMENT = Duration.ofMillis(500);

    public PlaylistState {
        recent = List.copyOf(recent);
    }

    /** One listed segment: its media sequence number, duration and whether a discontinuity precedes it. */
    public record RecentSegment(long sequence, double seconds, boolean discontinuity) {}

    /**
     * Where {@code self} continues the channel's numbering, this state having been written {@code
     * age} ago (by Redis's clock), its own earlier streams having left {@code localNext} and {@code
     * localDiscontinuity}. The run recorded here was lost when it was live and ran on another node
     * (a node's own earlier run, cut by its crash, is told by its own event log at its start).
     */
    PlaylistContinuity.Resumed resume(Duration age, String self, long localNext, long localDiscontinuity) {
        long unrecorded = live ? unrecorded(age) : 0;
        return new PlaylistContinuity.Resumed(Math.max(localNext, nextSequence + unrecorded),
                Math.max(localDiscontinuity, discontinuitySequence + unrecorded),
                live && !node.equals(self) ? Optional.of(node) : Optional.empty());
    }

    /** How many segments a live run may have listed in {@code age} after its last record. */
    private long unrecorded(Duration age) {
        long shortest = recent.stream().mapToLong(s -> Math.round(s.seconds() * 1000)).min().orElse(0);
        long unit = Math.max(SHORTEST_SEGMENT.toMillis(), shortest);
        long millis = Math.max(0, age.toMillis());
        return (millis + unit - 1) / unit + 1;
    }

    /** The recent segments as Redis keeps them: {@code sequence:seconds:discontinuity} (0 or 1), comma separated. */
    String encodedRecent() {
        StringBuilder b = new StringBuilder(recent.size() * 16);
        for (RecentSegment s : recent) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(s.sequence()).append(':').append(String.format(Locale.ROOT, "%.3f", s.seconds())).append(':')
                    .append(s.discontinuity() ? '1' : '0');
        }
        return b.toString();
    }

    /** The recent segments from {@link #encodedRecent()}'s form; entries this version cannot read are left out. */
    static List<RecentSegment> decodeRecent(String encoded) {
        List<RecentSegment> out = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String entry : encoded.split(",")) {
            String[] f = entry.split(":");
            try {
                if (f.length == 3 && (f[2].equals("0") || f[2].equals("1"))) {
                    out.add(new RecentSegment(Long.parseLong(f[0]), Double.parseDouble(f[1]), f[2].equals("1")));
                }
            } catch (NumberFormatException e) {
                // left out
            }
        }
        return out;
    }
}
