package dev.headend.api;

import dev.headend.channel.Channel;
import dev.headend.stream.StreamManager;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /api/channels}: channel definitions with their current state. */
public final class ChannelsApi {
    private final StreamManager streams;

    public ChannelsApi(StreamManager streams) {
        this.streams = streams;
    }

    public void list(Request request, Response response, Callback callback) {
        String base = Http.baseUrl(request);
        List<ChannelView> all = streams.channels().all().stream().map(c -> ChannelView.of(c, streams, base)).toList();
        Http.json(response, callback, 200, Map.of("channels", all, "count", all.size()));
    }

    public void get(Request request, Response response, Callback callback, String id) {
        Channel c = Lookups.channel(streams.channels(), id);
        Http.json(response, callback, 200, ChannelView.of(c, streams, Http.baseUrl(request)));
    }
}
