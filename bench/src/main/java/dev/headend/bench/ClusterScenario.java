package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The cluster: three nodes on one Redis, each a server process as {@code ./headend serve} runs it
 * with the default lease TTL, and one channel.
 *
 * <ul>
 *   <li>Takeover: a viewer plays the channel through a node that does not own it (reloads the
 *       playlist every 100 ms, fetches each new segment) while the owner is SIGKILLed. Measured:
 *       the time from the kill until the playlist lists a segment made after it, the viewer's
 *       errors from the kill until then (answers other than 200 to the playlist, listed segments
 *       that could not be fetched), and how often its media sequence went back. The killed node
 *       is started again before the next kill.
 *   <li>Relay: the playlist and segments through the owner and through another node (a
 *       segment's first request there crosses to the owner; later ones come from its cache).
 *   <li>Redis: commands per second with the channel running and no viewer, then with simulated
 *       HLS viewers spread over the nodes; the difference per 1,000 viewers.
 * </ul>
 */
final class ClusterScenario {
    private static final String CHANNEL = "cluster";
    private static final int NODES = 3;
    private static final long POLL_MS = 100;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int RELAY_PLAYLISTS = 100;
    private static final int RELAY_SEGMENTS = 10;
    private static final int IDLE_SECONDS = 10;
    /** How long the viewers may take to join before the Redis traffic of their steady state is measured. */
    private static final Duration JOIN_BOUND = Duration.ofSeconds(30);

    private final Report report;
    private final Path work;
    private final String ffmpeg;
    private final List<Node> nodes = new ArrayList<>();
    private RedisServer redis;

    ClusterScenario(Report report, Path work, String ffmpeg) {
        this.report = report;
        this.work = work.resolve("cluster");
        this.ffmpeg = ffmpeg;
    }

    /** One node: its id and directory stay across restarts, its process changes. */
    private final class Node {
        final String id;
        final Path dir;
        ServerProcess process;

        Node(String id) {
            this.id = id;
            this.dir = work.resolve(id);
        }

        void start() throws IOException, InterruptedException {
            Files.createDirectories(dir);
            process = ServerProcess.start(work.resolve("cluster.yml"), dir, ffmpeg, null,
                    Map.of("HEADEND_REDIS_URL", redis.url(), "HEADEND_NODE_ID", id));
        }

        Api api() {
            return process.api();
        }
    }

    void run(int kills, int viewers, int seconds) throws Exception {
        Files.createDirectories(work);
        Files.writeString(work.resolve("cluster.yml"), """
                server:
                  max_sessions_per_channel: 0
                channels:
                  - id: %s
                    source: "test:"
                    linger_seconds: 600
                    profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
                """.formatted(CHANNEL));
        redis = RedisServer.start(work.resolve("redis.log"));
        try {
            for (int i = 0; i < NODES; i++) {
                Node node = new Node("node-" + (char) ('a' + i));
                nodes.add(node);
                node.start();
            }
            nodes.getFirst().api().session(CHANNEL);
            takeovers(kills);
            relay();
            redisTraffic(viewers, seconds);
        } finally {
            for (Node node : nodes) {
                if (node.process != null) {
                    node.process.stop();
                }
            }
            redis.close();
        }
    }

    private void takeovers(int kills) throws Exception {
        List<Double> takeover = new ArrayList<>();
        int errors = 0;
        int back = 0;
        for (int k = 0; k < kills; k++) {
            Node owner = awaitOwner();
            Node viewer = nodes.get((nodes.indexOf(owner) + 1 + k % (NODES - 1)) % NODES);
            Player player = new Player(viewer.api(), viewer.api().session(CHANNEL));
            long warm = System.nanoTime();
            while (player.fetched < 3) {
                player.poll();
                check(warm, "segments through " + viewer.id + " before kill " + (k + 1));
                Thread.sleep(POLL_MS);
            }
            long t0 = System.nanoTime();
            player.errors = 0;
            player.fresh = false;
            owner.process.kill();
            while (!player.fresh) {
                Thread.sleep(POLL_MS);
                player.poll();
                check(t0, "a segment through " + viewer.id + " after the kill of " + owner.id);
            }
            takeover.add(Load.msSince(t0));
            errors += player.errors;
            back += player.wentBack;
            System.out.printf("  kill %d of %s: served again through %s after %.0f ms, %d viewer errors%n", k + 1,
                    owner.id, viewer.id, Load.msSince(t0), player.errors);
            owner.start();
        }
        report.stats("cluster_takeover_ms", "Cluster, 3 nodes: owner SIGKILLed -> a new segment through another node"
                + " (ms; lease TTL 6 s)", Stats.of(takeover));
        report.value("cluster_takeover_errors", "Cluster: viewer errors during " + kills + " takeovers (playlist"
                + " answers other than 200, listed segments not fetched)", errors);
        report.value("cluster_sequence_back", "Cluster: playlist reloads whose media sequence went back", back);
    }

    /**
     * A viewer as a player behaves: reloads the playlist, fetches each segment listed after the ones
     * it had, from the newest one at joining.
     */
    private static final class Player {
        final Api api;
        final URI playlist;
        final Set<String> seen = new HashSet<>();
        long mediaSequence = -1;
        int fetched;
        int errors;
        int wentBack;
        boolean fresh;

        Player(Api api, URI playlist) {
            this.api = api;
            this.playlist = playlist;
        }

        void poll() throws InterruptedException {
            List<Playlist.Entry> entries;
            try {
                HttpResponse<String> r = api.get(playlist);
                if (r.statusCode() != 200) {
                    errors++;
                    return;
                }
                entries = Playlist.parse(r.body()).entries();
            } catch (IOException e) {
                errors++;
                return;
            }
            if (entries.isEmpty()) {
                return;
            }
            if (entries.getFirst().sequence() < mediaSequence) {
                wentBack++;
            }
            mediaSequence = Math.max(mediaSequence, entries.getFirst().sequence());
            if (seen.isEmpty()) {
                entries.subList(0, entries.size() - 1).forEach(e -> seen.add(e.uri()));
            }
            for (Playlist.Entry e : entries) {
                if (seen.add(e.uri())) {
                    try {
                        api.bytes(playlist.resolve(e.uri()));
                        fetched++;
                        fresh = true;
                    } catch (IOException | IllegalStateException failed) {
                        errors++;
                    }
                }
            }
        }
    }

    private void relay() throws Exception {
        Node owner = awaitOwner();
        Node other = nodes.get((nodes.indexOf(owner) + 1) % NODES);
        URI ownerSession = owner.api().session(CHANNEL);
        URI otherSession = other.api().session(CHANNEL);
        List<Double> ownerPlaylist = new ArrayList<>();
        List<Double> otherPlaylist = new ArrayList<>();
        for (int i = 0; i < RELAY_PLAYLISTS; i++) {
            ownerPlaylist.add(timed(() -> owner.api().playlist(ownerSession)));
            otherPlaylist.add(timed(() -> other.api().playlist(otherSession)));
            Thread.sleep(20);
        }
        List<Double> ownerSegment = new ArrayList<>();
        List<Double> firstCrossing = new ArrayList<>();
        List<Double> cached = new ArrayList<>();
        long last = owner.api().playlist(ownerSession).newest().sequence();
        long t0 = System.nanoTime();
        while (firstCrossing.size() < RELAY_SEGMENTS) {
            Playlist.Entry next = owner.api().playlist(ownerSession).newest();
            Optional<Playlist.Entry> there = other.api().playlist(otherSession).entries().stream()
                    .filter(e -> e.sequence() == next.sequence()).findFirst();
            if (next.sequence() > last && there.isPresent()) {
                last = next.sequence();
                firstCrossing.add(timed(() -> other.api().bytes(otherSession.resolve(there.get().uri()))));
                ownerSegment.add(timed(() -> owner.api().bytes(ownerSession.resolve(next.uri()))));
                cached.add(timed(() -> other.api().bytes(otherSession.resolve(there.get().uri()))));
            }
            check(t0, RELAY_SEGMENTS + " new segments listed by both nodes");
            Thread.sleep(50);
        }
        report.stats("cluster_playlist_owner_ms", "Cluster: playlist from the owner (ms)", Stats.of(ownerPlaylist));
        report.stats("cluster_playlist_relayed_ms", "Cluster: playlist through another node (ms)",
                Stats.of(otherPlaylist));
        report.stats("cluster_segment_owner_ms", "Cluster: new segment from the owner (ms)", Stats.of(ownerSegment));
        report.stats("cluster_segment_relayed_ms", "Cluster: new segment through another node, first request"
                + " (crosses to the owner; ms)", Stats.of(firstCrossing));
        report.stats("cluster_segment_cached_ms", "Cluster: the same segment through that node again (its cache; ms)",
                Stats.of(cached));
    }

    private void redisTraffic(int viewers, int seconds) throws Exception {
        awaitOwner();
        Traffic idle = traffic(IDLE_SECONDS);
        List<Viewer> clients = new ArrayList<>(viewers);
        long start = System.nanoTime() + Load.SECOND / 5;
        long end = start + Load.SECOND * (2L + seconds) + JOIN_BOUND.toNanos();
        for (int i = 0; i < viewers; i++) {
            clients.add(new Viewer(nodes.get(i % NODES).process.port(), start + Load.SECOND * i / viewers, end));
        }
        ExecutorService exec = Load.start(clients);
        Load.sleepUntil(start + 2 * Load.SECOND);
        // the joins (a session each: a reservation and an event) are not the steady cost measured
        long joinedBy = System.nanoTime() + JOIN_BOUND.toNanos();
        while (System.nanoTime() < joinedBy && !clients.stream().allMatch(c -> c.joined || c.error() != null)) {
            Thread.sleep(100);
        }
        Traffic loaded = traffic(seconds);
        Load.finish(exec, clients, Duration.ofSeconds(30));
        List<String> failed = clients.stream().map(Load.Connected::error).filter(e -> e != null).toList();
        if (!failed.isEmpty()) {
            report.note("Cluster: " + failed.size() + " simulated viewers failed (first: " + failed.getFirst() + ")");
        }
        report.value("cluster_redis_idle", "Cluster: Redis commands/s, 3 nodes, 1 channel, no viewer",
                Report.num(idle.total()));
        report.value("cluster_redis_per_1000", "Cluster: Redis commands/s per 1,000 HLS viewers (" + viewers
                + " over 3 nodes, all joined, " + seconds + " s; " + failed.size() + " failed)", Report.num((loaded.total()
                - idle.total()) / viewers * 1000));
        report.note("Cluster: Redis commands/s by command (scripts' calls included), idle: " + idle.top()
                + "; with the viewers: " + loaded.top());
    }

    /** Redis commands per second over a window: in all, and by command. */
    private record Traffic(double total, Map<String, Double> byCommand) {
        /** The most called commands, most first, as {@code name rate}. */
        String top() {
            return byCommand.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .limit(8).map(e -> e.getKey() + " " + Report.num(e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }

    private Traffic traffic(int seconds) throws IOException, InterruptedException {
        Map<String, Long> calls0 = redis.commandCalls();
        long c0 = redis.commandsProcessed();
        long t0 = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(seconds));
        long c1 = redis.commandsProcessed();
        Map<String, Long> calls1 = redis.commandCalls();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> byCommand = new HashMap<>();
        calls1.forEach((name, n) -> {
            long delta = n - calls0.getOrDefault(name, 0L);
            if (delta > 0 && !name.equals("info")) { // the measurement's own
                byCommand.put(name, delta / elapsed);
            }
        });
        return new Traffic((c1 - c0 - 1) / elapsed, byCommand);
    }

    /** A simulated player on one node: joins, reloads the playlist every second, fetches new segments. */
    private static final class Viewer extends Load.Connected {
        private final long joinAt;
        private final long end;
        /** Set once its session is open (its first tokenized playlist answered). */
        private volatile boolean joined;

        Viewer(int port, long joinAt, long end) {
            super(port);
            this.joinAt = joinAt;
            this.end = end;
        }

        @Override
        void session() throws IOException, InterruptedException {
            Load.sleepUntil(joinAt);
            String dir = "/live/" + CHANNEL + "/";
            HttpConn.Response join = conn.get(dir + "index.m3u8", false);
            String path = dir + "index.m3u8";
            if (join.status() == 302 && join.location() != null) {
                URI playlist = URI.create("http://127.0.0.1" + path).resolve(join.location());
                path = playlist.getRawPath() + "?" + playlist.getRawQuery();
            } else if (join.status() != 200) { // a node relaying the channel from its owner answers at once
                throw new IOException("first playlist request: HTTP " + join.status());
            }
            long next = -1;
            for (long reload = joinAt; reload < end; reload += Load.SECOND) {
                Load.sleepUntil(reload);
                HttpConn.Response r = conn.get(path, true);
                if (r.status() != 200) {
                    throw new IOException("playlist: HTTP " + r.status());
                }
                joined = true;
                List<Playlist.Entry> entries = Playlist.parse(r.text()).entries();
                if (next < 0 && !entries.isEmpty()) {
                    next = entries.getLast().sequence();
                }
                for (Playlist.Entry e : entries) {
                    if (e.sequence() >= next) {
                        HttpConn.Response s = conn.get(dir + e.uri(), false);
                        if (s.status() != 200) {
                            throw new IOException("segment " + e.sequence() + ": HTTP " + s.status());
                        }
                        next = e.sequence() + 1;
                    }
                }
            }
        }
    }

    /** The node holding the channel's lease, as {@code GET /api/cluster} on a live node says. */
    private Node awaitOwner() throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            for (Node asked : nodes) {
                try {
                    for (JsonNode lease : asked.api().json("/api/cluster").path("leases")) {
                        if (lease.path("channel_id").asText().equals(CHANNEL)) {
                            String holder = lease.path("node").asText();
                            Optional<Node> owner = nodes.stream().filter(n -> n.id.equals(holder)).findFirst();
                            if (owner.isPresent()) {
                                return owner.get();
                            }
                        }
                    }
                } catch (IOException | IllegalStateException e) {
                    // a node being restarted: ask the next
                }
            }
            check(t0, "an owner of " + CHANNEL);
            Thread.sleep(POLL_MS);
        }
    }

    private static void check(long t0, String what) {
        if (System.nanoTime() - t0 > BOUND.toNanos()) {
            throw new IllegalStateException("no " + what + " within " + BOUND.toSeconds() + " s");
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws IOException, InterruptedException;
    }

    private static double timed(Call call) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        call.run();
        return Load.msSince(t0);
    }

    static boolean available() {
        return Files.isExecutable(RedisServer.BINARY);
    }
}
