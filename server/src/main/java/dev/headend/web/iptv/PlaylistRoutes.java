package dev.headend.web.iptv;

import dev.headend.channel.GuideSettings;
import dev.headend.stream.StreamManager;
import dev.headend.time.TimeSource;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.ContinuousTsRoutes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /playlist.m3u} (continuous-TS URLs; {@code ?format=hls} for HLS URLs), {@code /epg.xml}
 * and {@code /epg.xml.gz}, each also under {@code /s/{token}/} (see {@link OutputLinks}), the
 * continuous TS under that prefix, and {@code GET /api/iptv}, which tells an operator the URLs to
 * give TV apps. Every answer is built from the channels at the time of the request, so a reload
 * shows at once.
 */
public final class PlaylistRoutes implements RouteGroup {
    private static final String M3U_TYPE = "audio/x-mpegurl; charset=utf-8";
    private static final String XML_TYPE = "application/xml; charset=utf-8";

    private final StreamManager streams;
    private final OutputLinks links;
    private final ContinuousTsRoutes ts;
    private final TimeSource time;
    private final GuideSettings guide;

    public PlaylistRoutes(StreamManager streams, OutputLinks links, ContinuousTsRoutes ts, TimeSource time,
            GuideSettings guide) {
        this.streams = streams;
        this.links = links;
        this.ts = ts;
        this.time = time;
        this.guide = guide;
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(links.routes("/playlist.m3u", this::playlist));
        routes.addAll(links.routes("/epg.xml", this::guide));
        routes.addAll(links.routes("/epg.xml.gz", this::gzippedGuide));
        routes.add(links.underToken("/live/{id}.ts", ex -> ts.serve(ex, ex.param("id"))));
        routes.add(Route.get("/api/iptv", this::urls));
        return routes;
    }

    private void playlist(Exchange ex) {
        boolean hls = switch (ex.query("format").orElse("ts")) {
            case "ts" -> false;
            case "hls" -> true;
            default -> throw new ApiException(400, "invalid_parameter", "format must be ts or hls");
        };
        String base = ex.baseUrl();
        String outputs = links.base(base);
        String m3u = M3uPlaylist.render(Lineup.of(streams.channels().all()), outputs + "/epg.xml",
                c -> hls ? links.hlsUrl(base, c.id()) : links.tsUrl(outputs, c.id()));
        ex.text(200, M3U_TYPE, "no-store", m3u.getBytes(StandardCharsets.UTF_8));
    }

    private void guide(Exchange ex) {
        ex.text(200, XML_TYPE, "no-store", renderGuide());
    }

    private void gzippedGuide(Exchange ex) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(renderGuide());
        }
        ex.text(200, "application/gzip", "no-store", out.toByteArray());
    }

    private byte[] renderGuide() {
        return XmltvGuide.render(Lineup.of(streams.channels().all()), time.wallClock(), guide);
    }

    private void urls(Exchange ex) {
        String outputs = links.base(ex);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protected", links.protectedOutputs());
        body.put("playlist_url", outputs + "/playlist.m3u");
        body.put("playlist_hls_url", outputs + "/playlist.m3u?format=hls");
        body.put("epg_url", outputs + "/epg.xml");
        body.put("epg_gz_url", outputs + "/epg.xml.gz");
        body.put("hdhomerun_url", outputs);
        ex.json(200, body);
    }
}
