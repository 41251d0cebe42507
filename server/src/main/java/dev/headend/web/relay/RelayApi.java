package dev.headend.web.relay;

import dev.headend.relay.Relay;
import dev.headend.security.RelayTokens;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.util.List;

/**
 * The relay's admin routes: the active streams and viewers with their counts, ending a
 * stream, and the publish token of a stream id.
 */
public final class RelayApi implements RouteGroup {
    private final Relay relay;
    private final RelayTokens tokens;

    /** The answer of {@code GET /api/relay}. */
    record Overview(List<Relay.StreamView> streams, List<Relay.ViewerView> viewers) {}

    /** The answer of {@code POST /api/relay/streams/{id}/publish-token}. */
    record PublishToken(String streamId, String publishToken, String publishUrl) {}

    public RelayApi(Relay relay, RelayTokens tokens) {
        this.relay = relay;
        this.tokens = tokens;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/relay", ex -> ex.json(200, new Overview(relay.streams(), relay.viewers()))),
                new Route("DELETE", "/api/relay/streams/{id}", this::kick),
                Route.post("/api/relay/streams/{id}/publish-token", this::publishToken));
    }

    private void kick(Exchange ex) {
        String id = ex.param("id");
        if (!relay.kick(id)) {
            throw new ApiException(404, "stream_not_published", "no publisher is sending stream " + id);
        }
        ex.empty(204);
    }

    private void publishToken(Exchange ex) {
        String id = RelayRoutes.id(ex);
        String token = tokens.publishToken(id).orElseThrow(() -> new ApiException(409, "publish_secret_unset",
                "publish tokens are made with relay_publish_secret, which is not set (without it only clients on"
                        + " this machine may publish)"));
        String ws = ex.baseUrl().replaceFirst("^http", "ws");
        ex.json(200, new PublishToken(id, token, ws + "/ws/publish/" + id + "?token=" + token));
    }
}
