package dev.headend.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.headend.session.ViewerSession;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;

/**
 * JSON shape of one viewer session.
 *
 * @param deliveryRateBps bytes per second over the last few seconds (continuous TS), null for HLS
 * @param skips times the viewer fell behind the buffer and was moved to the live point (continuous TS; 0 for HLS)
 * @param node the cluster node the viewer is connected to; absent on a single server
 */
public record SessionView(
        String id,
        String channelId,
        String protocol,
        String remoteAddress,
        String userAgent,
        String startedAt,
        String lastActivityAt,
        double durationSeconds,
        long bytesSent,
        int errors,
        String state,
        Long deliveryRateBps,
        long skips,
        @JsonInclude(JsonInclude.Include.NON_NULL) String node) {

    static SessionView of(ViewerSession s, TimeSource time) {
        return of(s, time, null);
    }

    /** @param node the cluster node holding the session; null on a single server */
    static SessionView of(ViewerSession s, TimeSource time, String node) {
        Moment now = time.now();
        return new SessionView(
                s.id(),
                s.channelId(),
                s.kind().label(),
                s.remote(),
                s.userAgent(),
                s.startedAt().toString(),
                time.wallTime(s.lastActivity()).toString(),
                StreamView.tenths(s.openedAt().until(now)),
                s.bytesSent(),
                s.errors(),
                s.state().label(),
                s.deliveryRateBps(now).orElse(null),
                s.skips(),
                node);
    }
}
