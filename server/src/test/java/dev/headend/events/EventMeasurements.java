package dev.headend.events;

import dev.headend.store.Database;
import dev.headend.support.ManualTime;
import dev.headend.support.TestServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Figures for the events work, printed (not a test: timings are never asserted). Run with the
 * test class path: {@code java -cp ... dev.headend.events.EventMeasurements}.
 * <ol>
 * <li>events per second the SQLite store sustains through the log (batched by the writer), with
 * and without an outbox row per event;
 * <li>latency from a published change to an SSE listener and to a webhook receiver, p50/p99;
 * <li>an outage: a receiver down while events are published, then up: sent, delivered,
 * duplicates, lost.
 * </ol>
 */
public final class EventMeasurements {
    private EventMeasurements() {}

    public static void main(String[] args) throws Exception {
        storeThroughput(50_000, List.of());
        storeThroughput(50_000, List.of("r1"));
        latencies(Integer.parseInt(args.length > 0 ? args[0] : "500"));
        outage(1000);
        System.exit(0);
    }

    private static void storeThroughput(int n, List<String> receivers) throws Exception {
        Path dir = Files.createTempDirectory("headend-measure");
        try (Database db = Database.open(dir)) {
            SqliteEventJournal journal = new SqliteEventJournal(db);
            EventLog log = new EventLog(journal, new EventHub(16), "m", new ManualTime(), e -> receivers, () -> { });
            log.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                log.publish("cam-" + (i % 50), new EventData.HealthChanged("degraded", "speed 0.8"));
            }
            while (journal.lastSequence() < n) {
                Thread.sleep(5);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            log.stop();
            System.out.printf("store: %d events (%d outbox row(s) each) in %.2f s = %.0f events/s, file %d KiB%n", n,
                    receivers.size(), s, n / s, (Files.size(db.file()) + walSize(db.file())) / 1024);
        }
    }

    private static long walSize(Path file) throws Exception {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    private static void latencies(int n) throws Exception {
        try (TestReceiver receiver = new TestReceiver();
                TestServer server = TestServer.start("", Map.of(), "webhooks:\n  - id: m\n    url: " + receiver.url()
                        + "\n")) {
            HttpClient http = HttpClient.newHttpClient();
            try (SseClient sse = SseClient.open(http, server.url() + "/api/events", TestServer.ADMIN_TOKEN, null)) {
                while (sse.messages().isEmpty()) {
                    Thread.sleep(10);
                }
                Map<String, Long> sentAt = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    String id = "lat-" + i;
                    sentAt.put(id, System.nanoTime());
                    server.server().events().publish("cam", new EventData.StreamFailed(id));
                    Thread.sleep(10);
                }
                while (sse.of("stream_failed").size() < n || receiver.of("stream_failed").size() < n) {
                    Thread.sleep(20);
                }
                List<Long> toSse = new ArrayList<>();
                for (SseClient.Message m : sse.of("stream_failed")) {
                    toSse.add(m.receivedNanos() - sentAt.get(m.data().get("data").get("reason").asText()));
                }
                List<Long> toHook = new ArrayList<>();
                for (TestReceiver.Delivery d : receiver.of("stream_failed")) {
                    toHook.add(d.receivedNanos() - sentAt.get(d.body().get("data").get("reason").asText()));
                }
                System.out.printf("change -> SSE listener: %s%n", percentiles(toSse));
                System.out.printf("change -> webhook receiver: %s%n", percentiles(toHook));
            }
        }
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", sorted.size(),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6,
                sorted.getLast() / 1e6);
    }

    private static void outage(int n) throws Exception {
        try (TestReceiver receiver = new TestReceiver();
                TestServer server = TestServer.start("", Map.of("webhook_backoff_max_seconds", "2s"),
                        "webhooks:\n  - id: m\n    url: " + receiver.url() + "\n")) {
            receiver.down();
            for (int i = 0; i < n; i++) {
                server.server().events().publish("cam-" + (i % 7), new EventData.StreamRecovered(i));
                if (i == n / 2) {
                    Thread.sleep(3000);
                }
            }
            Thread.sleep(5000);
            receiver.up();
            long up = System.nanoTime();
            while (receiver.deliveries().stream().map(TestReceiver.Delivery::eventId).distinct().count() < n) {
                if (System.nanoTime() - up > Duration.ofMinutes(3).toNanos()) {
                    break;
                }
                Thread.sleep(50);
            }
            List<TestReceiver.Delivery> got = receiver.deliveries();
            Set<String> distinct = got.stream().map(TestReceiver.Delivery::eventId).collect(Collectors.toSet());
            List<Long> seq = got.stream().map(TestReceiver.Delivery::sequence).toList();
            boolean ordered = new ArrayList<>(seq).equals(seq.stream().sorted().toList());
            System.out.printf("outage (receiver down ~8 s): sent %d, delivered %d, duplicates %d, lost %d, in order %s,"
                    + " caught up %.1f s after it came back%n", n, distinct.size(), got.size() - distinct.size(),
                    n - distinct.size(), ordered, (System.nanoTime() - up) / 1e9);
        }
    }
}
