package dev.headend.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WebSocket relay under fan-out: one publisher at 15 fps (JPEG-signed frames of a fixed
 * size) and N viewers of its stream, some of which read at a capped rate (a throttled mobile
 * link), in the same process as the publisher so that frame latency is publisher send to viewer
 * receive on one clock. Reports the latency of the normal viewers, the frames each kind got and
 * missed, and which viewers the server disconnected.
 */
final class RelayFanout {
    /** One run's outcome. */
    record Run(int viewers, int slow, Stats latencyMs, long framesSent, double normalMinShare, long normalMissed,
            List<Long> slowFrames, int slowClosed, int normalClosed) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d viewers (%d slow): normal latency %s; frames sent %d; normal viewers"
                    + " got >= %.1f%% of frames, %d missed in all, %d closed; slow viewers got %s frames, %d closed",
                    viewers, slow, latencyMs, framesSent, normalMinShare * 100, normalMissed, normalClosed,
                    slowFrames, slowClosed);
        }
    }

    private final String wsBase;
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param baseUrl the server's http:// base URL */
    RelayFanout(String baseUrl) {
        this.wsBase = baseUrl.replaceFirst("^http", "ws");
    }

    /** A viewer: records the sequence and local receive time of each frame; reads at most {@code bitsPerSecond}. */
    private static final class Viewer implements WebSocket.Listener {
        final long bitsPerSecond;
        final ConcurrentHashMap<Long, Long> received = new ConcurrentHashMap<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final ScheduledExecutorService pacer;
        private final java.io.ByteArrayOutputStream part = new java.io.ByteArrayOutputStream();

        Viewer(long bitsPerSecond, ScheduledExecutorService pacer) {
            this.bitsPerSecond = bitsPerSecond;
            this.pacer = pacer;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            long now = System.nanoTime();
            int n = data.remaining();
            if (part.size() == 0 && data.remaining() >= 2) {
                int idLength = data.get(data.position() + 1);
                if (last) {
                    received.put(data.getLong(data.position() + 2 + idLength), now);
                } else {
                    byte[] head = new byte[Math.min(data.remaining(), 2 + idLength + 8)];
                    data.duplicate().get(head);
                    part.writeBytes(head);
                }
            } else if (last && part.size() > 0) {
                ByteBuffer head = ByteBuffer.wrap(part.toByteArray());
                received.put(head.getLong(2 + head.get(1)), now);
                part.reset();
            }
            if (bitsPerSecond <= 0) {
                ws.request(1);
            } else {
                pacer.schedule(() -> ws.request(1), n * 8_000_000L / bitsPerSecond, TimeUnit.MICROSECONDS);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.set(true);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.set(true);
        }
    }

    /**
     * Runs {@code seconds} of publishing to {@code viewers} viewers, {@code slow} of them reading at
     * {@code slowBitsPerSecond}; the first {@code warmupSeconds} are not measured.
     */
    Run run(String stream, int viewers, int slow, long slowBitsPerSecond, int frameBytes, int fps, int warmupSeconds,
            int seconds) throws Exception {
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        List<Viewer> all = new ArrayList<>();
        List<WebSocket> sockets = new CopyOnWriteArrayList<>();
        try {
            WebSocket publisher = http.newWebSocketBuilder().buildAsync(URI.create(wsBase + "/ws/publish/" + stream),
                    new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS);
            sockets.add(publisher);
            for (int i = 0; i < viewers; i++) {
                Viewer v = new Viewer(i < slow ? slowBitsPerSecond : 0, pacer);
                all.add(v);
                sockets.add(http.newWebSocketBuilder().buildAsync(URI.create(wsBase + "/ws/watch/" + stream), v)
                        .get(20, TimeUnit.SECONDS));
            }
            byte[] frame = new byte[frameBytes];
            frame[0] = (byte) 0xff;
            frame[1] = (byte) 0xd8;
            frame[2] = (byte) 0xff;
            ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
            AtomicLong sequence = new AtomicLong();
            long periodMicros = 1_000_000L / fps;
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            clock.scheduleAtFixedRate(() -> {
                long seq = sequence.incrementAndGet();
                sentAt.put(seq, System.nanoTime());
                publisher.sendBinary(ByteBuffer.wrap(frame), true).join();
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            Thread.sleep(Duration.ofSeconds(warmupSeconds + seconds));
            clock.shutdown();
            clock.awaitTermination(5, TimeUnit.SECONDS);
            Thread.sleep(Duration.ofSeconds(2)); // the last frames arrive
            long first = sequence.get() * warmupSeconds / (warmupSeconds + seconds) + 1;
            long last = sequence.get();
            List<Double> latencies = new ArrayList<>();
            double minShare = 1;
            long missed = 0;
            int normalClosed = 0;
            for (Viewer v : all.subList(slow, all.size())) {
                long got = 0;
                for (long s = first; s <= last; s++) {
                    Long at = v.received.get(s);
                    if (at != null) {
                        got++;
                        latencies.add((at - sentAt.get(s)) / 1e6);
                    }
                }
                missed += (last - first + 1) - got;
                minShare = Math.min(minShare, got / (double) (last - first + 1));
                normalClosed += v.closed.get() ? 1 : 0;
            }
            List<Long> slowFrames = all.subList(0, slow).stream().map(v -> (long) v.received.size()).toList();
            int slowClosed = (int) all.subList(0, slow).stream().filter(v -> v.closed.get()).count();
            return new Run(viewers, slow, Stats.of(latencies), last - first + 1, minShare, missed, slowFrames,
                    slowClosed, normalClosed);
        } finally {
            sockets.forEach(WebSocket::abort);
            pacer.shutdownNow();
        }
    }

    /** Opens {@code n} idle viewers of {@code stream} and keeps them until the returned list is aborted. */
    List<WebSocket> idleViewers(String stream, int n) throws Exception {
        List<WebSocket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(http.newWebSocketBuilder().buildAsync(URI.create(wsBase + "/ws/watch/" + stream),
                    new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS));
        }
        return out;
    }

    /**
     * Heap per viewer: the server's heap after a full GC ({@code jcmd <pid> GC.run}) with {@code n}
     * viewers of a stream publishing 40 KB frames at 15 fps, minus the same without them, over n.
     */
    double heapPerViewerBytes(long serverPid, int n) throws Exception {
        WebSocket publisher = http.newWebSocketBuilder().buildAsync(URI.create(wsBase + "/ws/publish/bench-heap"),
                new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS);
        byte[] frame = new byte[40_000];
        frame[0] = (byte) 0xff;
        frame[1] = (byte) 0xd8;
        frame[2] = (byte) 0xff;
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        clock.scheduleAtFixedRate(() -> publisher.sendBinary(ByteBuffer.wrap(frame), true).join(), 0, 66,
                TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(2000);
            long before = heapAfterGc(serverPid);
            List<WebSocket> viewers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                viewers.add(http.newWebSocketBuilder().buildAsync(URI.create(wsBase + "/ws/watch/bench-heap"),
                        new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS));
            }
            Thread.sleep(3000);
            long after = heapAfterGc(serverPid);
            viewers.forEach(WebSocket::abort);
            return (after - before) / (double) n;
        } finally {
            clock.shutdownNow();
            publisher.abort();
        }
    }

    private static long heapAfterGc(long pid) throws Exception {
        String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd: " + out);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /**
     * {@code java -cp headend-bench.jar dev.headend.bench.RelayFanout http://127.0.0.1:8080 [seconds]}, or
     * {@code ... RelayFanout http://127.0.0.1:8080 heap <server pid> <viewers>}.
     */
    public static void main(String[] args) throws Exception {
        RelayFanout f = new RelayFanout(args[0]);
        if (args.length > 1 && args[1].equals("heap")) {
            System.out.printf(Locale.ROOT, "heap per viewer: %.0f bytes%n", f.heapPerViewerBytes(
                    Long.parseLong(args[2]), Integer.parseInt(args[3])));
            return;
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        System.out.println("without slow viewers: " + f.run("bench-a", 50, 0, 0, 40_000, 15, 5, seconds));
        System.out.println("with 5 slow viewers (64 kbit/s): " + f.run("bench-b", 50, 5, 64_000, 40_000, 15, 5,
                seconds));
        System.out.println("with 5 slow viewers (64 kbit/s), 4 KB frames: " + f.run("bench-c", 50, 5, 64_000, 4_000,
                15, 5, seconds));
    }
}
