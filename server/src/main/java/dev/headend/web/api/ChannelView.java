package dev.headend.web.api;

import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.Source;
import dev.headend.security.Secrets;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamManager;
import dev.headend.web.live.PlaybackLinks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** JSON shape of a channel definition plus its current state. */
public record ChannelView(
        String id,
        String origin,
        String name,
        Integer number,
        String group,
        String logo,
        String source,
        List<String> sources,
        Map<String, Object> profile,
        boolean onDemand,
        long lingerSeconds,
        String playlistUrl,
        String tsUrl,
        String state,
        int viewers,
        String lastError,
        StreamView stream) {

    /** @param origin {@code file}, {@code api} or {@code template} */
    static ChannelView of(Channel c, String origin, StreamManager streams, PlaybackLinks.Links links) {
        return of(c, origin, streams, links, Optional.empty());
    }

    /**
     * @param clusterViewers the channel's viewers in the cluster (on any node); empty: its
     *     stream's here
     */
    static ChannelView of(Channel c, String origin, StreamManager streams, PlaybackLinks.Links links,
            Optional<Integer> clusterViewers) {
        StreamView stream = streams.find(c.id()).map(LiveStream::snapshot)
                .map(s -> StreamView.of(s, links, clusterViewers.orElse(s.viewers()))).orElse(null);
        String lastError = stream != null ? stream.lastError()
                : streams.lastFailure(c.id()).map(f -> Secrets.mask(f.reason())).orElse(null);
        String state = stream != null ? stream.state() : lastError != null ? "failed" : "idle";
        return new ChannelView(
                c.id(),
                origin,
                c.name(),
                c.number().orElse(null),
                c.group().orElse(null),
                c.logo().map(Secrets::mask).orElse(null),
                c.source().display(),
                c.sources().stream().map(Source::display).toList(),
                profile(c.profile()),
                c.onDemand(),
                c.linger().toSeconds(),
                links.playlistUrl(),
                links.tsUrl(),
                state,
                clusterViewers.orElse(stream == null ? 0 : stream.viewers()),
                lastError,
                stream);
    }

    private static Map<String, Object> profile(OutputProfile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (p) {
            case OutputProfile.Copy c -> m.put("type", "copy");
            case OutputProfile.H264 h -> {
                m.put("type", "h264");
                h.width().ifPresent(w -> m.put("width", w));
                h.height().ifPresent(v -> m.put("height", v));
                h.fps().ifPresent(f -> m.put("fps", f));
                m.put("bitrate_kbps", h.bitrateKbps());
                m.put("preset", h.preset());
            }
        }
        m.put("audio", p.audio().name().toLowerCase(Locale.ROOT));
        return m;
    }
}
