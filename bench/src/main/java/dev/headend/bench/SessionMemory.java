package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Memory per 1,000 viewer sessions of each protocol (issue 10), in the server's live heap: for
 * HLS (a redirect, then the playlist with the token, which opens the session), continuous TS
 * (connections reading the stream) and relay WebSocket viewers (of a stream without a publisher:
 * the connection and the session, no frame). Per protocol: a few sessions come and go first (so
 * no class loading is counted), then the live heap after a full GC ({@code jcmd
 * GC.class_histogram}, {@link ServerProcess#liveHeapBytes}) before, with N sessions open, and
 * after every one was kicked through {@code DELETE /api/sessions/{id}}. The channel's window is
 * full before, so its segment store does not grow meanwhile. The figure counts everything a
 * session holds on the server: the session, its connection (Jetty's objects and buffers), and
 * for TS the parked virtual thread's stack.
 */
final class SessionMemory {
    private static final int WINDOW_SEGMENTS = 30;
    private static final int WARM_UP = 20;
    private static final String RELAY_STREAM = "bench-sessions";
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration OPEN_BOUND = Duration.ofSeconds(90);

    private final ServerProcess server;
    private final Report report;
    private final String channel;

    SessionMemory(ServerProcess server, Report report, String channel) {
        this.server = server;
        this.report = report;
        this.channel = channel;
    }

    void run(int sessions) throws Exception {
        int n = (int) Math.min(sessions, Load.clientLimit(server));
        Api api = server.api();
        api.start(channel);
        try {
            api.awaitFullWindow(api.session(channel), WINDOW_SEGMENTS, Duration.ofSeconds(WINDOW_SEGMENTS * 3L));
            measure("hls", channel, n, this::hls);
            measure("ts", channel, n, this::ts);
            measure("ws", RELAY_STREAM, n, this::ws);
        } finally {
            api.stop(channel);
        }
    }

    /** Opens {@code n} sessions and returns what ends their clients. */
    private interface Opener {
        AutoCloseable open(int n) throws Exception;
    }

    private void measure(String protocol, String on, int n, Opener opener) throws Exception {
        Api api = server.api();
        try (AutoCloseable few = opener.open(WARM_UP)) {
            awaitOpen(api, on, protocol, WARM_UP);
            end(api, on, protocol);
        }
        ServerProcess.LiveHeap before = server.liveHeap();
        ServerProcess.LiveHeap with;
        try (AutoCloseable clients = opener.open(n)) {
            awaitOpen(api, on, protocol, n);
            Thread.sleep(SETTLE);
            with = server.liveHeap();
            end(api, on, protocol);
        }
        ServerProcess.LiveHeap after = server.liveHeap();
        report.value("heap_per_1000_" + protocol + "_sessions_kb", "Sessions: live heap per 1,000 " + protocol
                + " sessions (KB, after full GC, measured with " + n + "); after kicking them all: heap vs before"
                + " (KB), ViewerSession objects with / after", Report.num((with.bytes() - before.bytes()) / 1024.0
                        * 1000 / n) + "; " + signed((after.bytes() - before.bytes()) / 1024.0) + ", "
                        + with.of(ServerProcess.SESSION_CLASS) + " / " + after.of(ServerProcess.SESSION_CLASS));
        report.note("Sessions, " + protocol + ": what the live heap kept after the kicks, most grown classes: "
                + String.join(", ", after.grownSince(before, 3)));
    }

    /** Waits (bounded) until {@code n} sessions of {@code protocol} are listed on {@code on}. */
    private static void awaitOpen(Api api, String on, String protocol, int n) throws Exception {
        long deadline = System.nanoTime() + OPEN_BOUND.toNanos();
        long open;
        while ((open = TsNonReaders.count(api.sessions(on), protocol)) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(protocol + ": " + open + " sessions open of " + n + " after "
                        + OPEN_BOUND.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    private static String signed(double kb) {
        return (kb >= 0 ? "+" : "") + Report.num(kb);
    }

    /** Kicks every session of {@code protocol} on {@code on} and waits until none is listed. */
    private static void end(Api api, String on, String protocol) throws Exception {
        api.kickAll(on, protocol);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (TsNonReaders.count(api.sessions(on), protocol) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(protocol + " sessions still listed 30 s after the kicks");
            }
            Thread.sleep(200);
        }
    }

    /** HLS sessions: each a redirect to a new token and the playlist with it (no segment). */
    private AutoCloseable hls(int n) throws IOException {
        URI base = URI.create("/live/" + channel + "/");
        try (HttpConn conn = new HttpConn(server.port(), Load.TIMEOUT_MS)) {
            for (int i = 0; i < n; i++) {
                HttpConn.Response redirect = conn.get(base.resolve("index.m3u8").toString(), false);
                int status = redirect.status() == 302 ? conn.get(base.resolve(redirect.location()).toString(), false)
                        .status() : redirect.status();
                if (status != 200) {
                    throw new IllegalStateException("opening an HLS session: HTTP " + status);
                }
            }
        }
        return () -> { };
    }

    /** Continuous-TS sessions: each a connection reading the stream until the server closes it. */
    private AutoCloseable ts(int n) {
        List<TsReader> readers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long now = System.nanoTime();
            readers.add(new TsReader(server.port(), channel, now, now, now, TsReader.Until.SERVER_CLOSES));
        }
        ExecutorService exec = Load.start(readers);
        return () -> Load.finish(exec, readers, Duration.ofSeconds(10));
    }

    /** Relay viewers of a stream nobody publishes: the connection and the session, no frame. */
    private AutoCloseable ws(int n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws/watch/" + RELAY_STREAM);
        List<WebSocket> viewers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            viewers.add(http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                    .get(20, TimeUnit.SECONDS));
        }
        return () -> {
            viewers.forEach(WebSocket::abort);
            http.close();
        };
    }
}
