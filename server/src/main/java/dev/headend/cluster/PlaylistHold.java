package dev.headend.cluster;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last playlist this node relayed for each channel, answered again while the channel's owner
 * cannot be reached. After an owner dies its lease still names it until the TTL runs out, then a
 * new owner starts the channel: for that long, a viewer of this node gets the playlist it already
 * had (its player waits on the segments it holds, the relay's cache still has them) instead of
 * an error per reload.
 *
 * <p>Invariant: a kept playlist is answered again only within {@code hold} of the moment it was
 * relayed, so a channel nobody runs any more ends in an error, not in a frozen playlist. One
 * entry per channel relayed here; an entry is replaced by the next relay of its channel.
 */
public final class PlaylistHold {
    /** A relayed playlist: the owner's answer, the node it came from, and when. */
    public record Held(PeerClient.Answer answer, String node, Moment at) {}

    private final TimeSource time;
    private final Duration hold;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** @param hold how long a relayed playlist may be answered again: the longest a takeover takes */
    public PlaylistHold(TimeSource time, Duration hold) {
        this.time = time;
        this.hold = hold;
    }

    /** Keeps a playlist the owner answered with 200. */
    public void keep(String channelId, PeerClient.Answer answer, String node) {
        if (answer.status() == 200) {
            held.put(channelId, new Held(answer, node, time.now()));
        }
    }

    /** The channel's last relayed playlist, if it was relayed within the hold. */
    public Optional<Held> recent(String channelId) {
        Held h = held.get(channelId);
        if (h == null) {
            return Optional.empty();
        }
        if (time.now().isAfter(h.at().plus(hold))) {
            held.remove(channelId, h);
            return Optional.empty();
        }
        return Optional.of(h);
    }
}
