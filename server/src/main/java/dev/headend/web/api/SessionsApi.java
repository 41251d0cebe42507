package dev.headend.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.cluster.ClusterNode;
import dev.headend.cluster.NodeReport;
import dev.headend.cluster.PeerClient;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.stream.StreamManager;
import dev.headend.time.TimeSource;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.Lookups;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code /api/sessions}: who watches what, over which protocol, and ending one viewer's session
 * ({@code DELETE}: an open TS or WebSocket connection is closed at once, an HLS token stops
 * working).
 *
 * <p>In a cluster every node answers for the cluster: it lists its own sessions and those the
 * other nodes in the registry list at {@code GET /cluster/sessions} (asked at once, in parallel,
 * with the cluster secret), each session naming its {@code node}; a node that does not answer is
 * named in {@code unreachable_nodes} and its sessions are left out (so a node that is gone
 * contributes nothing from the moment it stops answering, and leaves the registry within its
 * expiry). Asking the nodes, rather than copying every session's details into Redis, keeps the
 * listing exact (bytes, state, rate as of the request) and costs Redis nothing per viewer; the
 * counts the limit needs are in Redis ({@link dev.headend.cluster.ClusterSessions}). A {@code
 * DELETE} of a session this node does not hold is sent to the other nodes ({@code DELETE
 * /cluster/sessions/{id}}); the one that holds it ends it and answers. The {@code /cluster/...}
 * routes answer only requests carrying the cluster secret (403 {@code not_a_peer} otherwise)
 * and never ask further.
 */
public final class SessionsApi implements RouteGroup {
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final TimeSource time;
    private final Optional<ClusterNode> node;
    private final PeerClient peers;

    public SessionsApi(StreamManager streams, SessionRegistry sessions, TimeSource time) {
        this(streams, sessions, time, Optional.empty(), null);
    }

    /**
     * @param node this node in its cluster; empty on a single server
     * @param peers asks the other nodes (null on a single server)
     */
    public SessionsApi(StreamManager streams, SessionRegistry sessions, TimeSource time, Optional<ClusterNode> node,
            PeerClient peers) {
        this.streams = streams;
        this.sessions = sessions;
        this.time = time;
        this.node = node;
        this.peers = peers;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/sessions", ex -> list(ex, ex.query("channel_id"))),
                Route.get("/api/channels/{id}/sessions", ex -> list(ex, Optional.of(ex.param("id")))),
                Route.delete("/api/sessions/{id}", this::end),
                Route.get("/cluster/sessions", this::listHere),
                Route.delete("/cluster/sessions/{id}", this::endHere));
    }

    private void list(Exchange ex, Optional<String> channelId) throws InterruptedException {
        List<SessionView> all = new ArrayList<>(local());
        List<String> unreachable = new ArrayList<>();
        if (node.isPresent()) {
            others(all, unreachable);
        }
        // a relay stream's viewers are listed by its id even when no channel has it
        channelId.filter(id -> all.stream().noneMatch(v -> v.channelId().equals(id)))
                .ifPresent(id -> Lookups.channel(streams.channels(), id));
        List<SessionView> views = all.stream()
                .filter(v -> channelId.isEmpty() || v.channelId().equals(channelId.get()))
                .toList();
        Map<String, Integer> byChannel = new TreeMap<>();
        views.forEach(v -> byChannel.merge(v.channelId(), 1, Integer::sum));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_sessions", views.size());
        body.put("sessions_by_channel", byChannel);
        body.put("average_duration_seconds", views.isEmpty() ? 0.0
                : Math.round(views.stream().mapToDouble(SessionView::durationSeconds).average().orElse(0) * 10) / 10.0);
        body.put("total_bytes_sent", views.stream().mapToLong(SessionView::bytesSent).sum());
        if (node.isPresent()) {
            body.put("unreachable_nodes", unreachable);
        }
        body.put("sessions", views);
        ex.json(200, body);
    }

    /** This node's sessions, oldest first, naming this node in a cluster. */
    private List<SessionView> local() {
        String here = node.map(ClusterNode::id).orElse(null);
        return sessions.all().stream()
                .sorted(Comparator.comparing(ViewerSession::openedAt))
                .map(s -> SessionView.of(s, time, here))
                .toList();
    }

    /** Adds the sessions of every other node in the registry to {@code all}; names those that did not answer. */
    private void others(List<SessionView> all, List<String> unreachable) throws InterruptedException {
        List<NodeReport> others = node.orElseThrow().peers();
        try (ExecutorService asking = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<SessionView>>> answers = new ArrayList<>();
            for (NodeReport r : others) {
                answers.add(asking.submit(() -> sessionsOf(r)));
            }
            for (int i = 0; i < others.size(); i++) {
                try {
                    all.addAll(answers.get(i).get());
                } catch (ExecutionException e) {
                    unreachable.add(others.get(i).id());
                }
            }
        }
    }

    private List<SessionView> sessionsOf(NodeReport r) throws IOException, InterruptedException {
        PeerClient.Answer a = peers.sessions(r.url());
        if (a.status() != 200) {
            throw new IOException("node " + r.id() + " answered " + a.status());
        }
        JsonNode listed = Http.JSON.readTree(a.body()).path("sessions");
        List<SessionView> out = new ArrayList<>();
        for (JsonNode s : listed) {
            out.add(Http.JSON.treeToValue(s, SessionView.class));
        }
        return out;
    }

    private void end(Exchange ex) throws InterruptedException {
        String id = ex.param("id");
        if (!SessionRegistry.ID.matcher(id).matches()) {
            throw new ApiException(400, "invalid_session_id", "invalid session id '" + Http.printable(id)
                    + "': session ids are 16 base64url characters, as GET /api/sessions lists them");
        }
        Optional<ViewerSession> here = sessions.kick(id);
        if (here.isPresent()) {
            ended(ex, SessionView.of(here.get(), time, node.map(ClusterNode::id).orElse(null)));
            return;
        }
        if (node.isPresent()) {
            for (NodeReport r : node.get().peers()) {
                Optional<JsonNode> answer = endAt(r, id);
                if (answer.isPresent()) {
                    ex.json(200, answer.get());
                    return;
                }
            }
        }
        throw notFound(id);
    }

    /** Asks another node to end the session; its answer when it held it. */
    private Optional<JsonNode> endAt(NodeReport r, String id) throws InterruptedException {
        try {
            PeerClient.Answer a = peers.endSession(r.url(), id);
            return a.status() == 200 ? Optional.of(Http.JSON.readTree(a.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a node that does not answer holds no session anyone can end
        }
    }

    /** {@code GET /cluster/sessions}: this node's sessions only, for another node. */
    private void listHere(Exchange ex) {
        peerOnly(ex);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node.orElseThrow().id());
        body.put("sessions", local());
        ex.json(200, body);
    }

    /** {@code DELETE /cluster/sessions/{id}}: ends a session of this node, for another node. */
    private void endHere(Exchange ex) {
        peerOnly(ex);
        String id = ex.param("id");
        if (!SessionRegistry.ID.matcher(id).matches()) {
            throw new ApiException(400, "invalid_session_id", "invalid session id '" + Http.printable(id) + "'");
        }
        ViewerSession s = sessions.kick(id).orElseThrow(() -> notFound(id));
        ended(ex, SessionView.of(s, time, node.orElseThrow().id()));
    }

    private void peerOnly(Exchange ex) {
        if (node.isEmpty() || !node.get().fromPeer(Optional.ofNullable(
                ex.request().getHeaders().get(ClusterNode.PEER_HEADER)))) {
            throw new ApiException(403, "not_a_peer", "this route answers other nodes of the cluster only");
        }
    }

    private static void ended(Exchange ex, SessionView view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("session", view);
        ex.json(200, body);
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "session_not_found", "no session with id '" + id
                + "' (it may have ended already)");
    }
}
