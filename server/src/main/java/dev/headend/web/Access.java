package dev.headend.web;

import java.util.Set;

/**
 * Who may use a route, decided by its path so that a route added later under a protected
 * prefix is protected without anyone remembering to say so.
 */
public enum Access {
    /** {@code /api/...} and the event socket {@code /ws/events}: the admin token, always. */
    ADMIN,
    /** {@code /metrics}: the admin token unless {@code metrics_public} is set. */
    METRICS,
    /** {@code /live/...}: anyone, or a signed URL when {@code playback_secret} is set; CORS applies. */
    PLAYBACK,
    /**
     * The IPTV outputs (playlist, guide, HDHomeRun tuner) and {@code /s/{token}/...}: anyone, or
     * only under {@code /s/{token}/} with the output token when {@code playback_secret} is set.
     */
    OUTPUTS,
    /**
     * {@code /ws/...}, the relay's WebSocket endpoints: the admin token, or the stream's publish
     * token ({@code /ws/publish/{id}}) or the watch token ({@code /ws/watch...}) when one is
     * configured; without one configured, clients on the loopback interface from a page of this
     * server (or no page).
     */
    RELAY,
    /** Everything else: {@code /healthz}, {@code /readyz} and the dashboard's files. */
    OPEN;

    private static final Set<String> OUTPUT_PATHS = Set.of("/playlist.m3u", "/epg.xml", "/epg.xml.gz",
            "/discover.json", "/lineup.json", "/lineup_status.json", "/device.xml");

    /** The access of a route template or a request path. */
    public static Access of(String path) {
        if (path.equals("/api") || path.startsWith("/api/") || path.equals("/ws/events")) {
            return ADMIN;
        }
        if (path.equals("/metrics")) {
            return METRICS;
        }
        if (path.startsWith("/live/")) {
            return PLAYBACK;
        }
        if (path.startsWith("/ws/")) {
            return RELAY;
        }
        if (OUTPUT_PATHS.contains(path) || path.startsWith("/auto/") || path.startsWith("/s/")) {
            return OUTPUTS;
        }
        return OPEN;
    }
}
