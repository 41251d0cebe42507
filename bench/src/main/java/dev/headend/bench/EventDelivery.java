package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.events.EventData;
import dev.headend.events.EventHub;
import dev.headend.events.EventLog;
import dev.headend.events.SqliteEventJournal;
import dev.headend.store.Database;
import dev.headend.time.TimeSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scenario 10, the event log and its deliveries:
 * <ol>
 * <li>events per second the SQLite store sustains through the event log (one writer thread,
 * batched), without and with one webhook outbox row per event, in the benchmark process on a
 * store of its own, after a warm-up run;
 * <li>on the server, the time from a stream change (a channel started, then stopped) to an SSE
 * listener and to a webhook receiver in the benchmark process: the event's {@code time} (the
 * server's wall clock when it published the change) to the arrival (the same machine's clock);
 * <li>an outage: a receiver down while the server publishes events ({@code config_reloaded},
 * one per reload), then up: events sent, delivered, duplicates, lost, and the time to catch up.
 * </ol>
 * The receivers are added through {@code POST /api/webhooks} and removed at the end.
 */
final class EventDelivery {
    private static final long POLL_MS = 20;
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(3);
    /** Longer than the server's longest backoff in the benchmark configuration (2 s), so retries back off fully. */
    private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(5);

    private final Api api;
    private final Report report;

    EventDelivery(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    void store(int events) throws IOException, InterruptedException {
        storeRate(events / 5, List.of());
        for (List<String> receivers : List.of(List.<String>of(), List.of("r1"))) {
            double rate = storeRate(events, receivers);
            report.value("events_stored_per_s_outbox_" + receivers.size(), "Event store: events/s stored through the"
                    + " log (" + events + " events, " + (receivers.isEmpty() ? "no webhook" : "one outbox row each")
                    + ")", Math.round(rate));
        }
    }

    private static double storeRate(int n, List<String> receivers) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("headend-bench-store");
        try (Database db = Database.open(dir)) {
            SqliteEventJournal journal = new SqliteEventJournal(db);
            EventLog log = new EventLog(journal, new EventHub(16), "bench", TimeSource.system(), e -> receivers,
                    () -> { });
            log.start();
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    log.publish("cam-" + (i % 50), new EventData.HealthChanged("degraded", "speed 0.8"));
                }
                await(() -> journal.lastSequence() >= n, Duration.ofMinutes(2), "storing " + n + " events");
                return n / ((System.nanoTime() - t0) / 1e9);
            } finally {
                log.stop();
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    /** Starts and stops {@code channel} {@code cycles} times; each start and stop is an event. */
    void latency(String channel, int cycles) throws IOException, InterruptedException {
        List<String> types = List.of("stream_started", "stream_ended");
        int expected = 2 * cycles;
        try (HookReceiver hook = new HookReceiver()) {
            String id = add("bench-latency", hook.url(), types);
            try (EventStream sse = EventStream.open(api, "/api/events?channel_id=" + channel + "&types="
                    + String.join(",", types))) {
                await(() -> !sse.of("snapshot").isEmpty(), Duration.ofSeconds(30), "the SSE snapshot");
                for (int i = 0; i < cycles; i++) {
                    api.start(channel);
                    api.stop(channel);
                }
                await(() -> types.stream().mapToInt(t -> sse.of(t).size()).sum() >= expected
                        && hook.deliveries().size() >= expected, Duration.ofSeconds(60), "every event");
                List<Double> toSse = new ArrayList<>();
                types.forEach(t -> sse.of(t).forEach(m -> toSse.add(ms(m.data(), m.received()))));
                List<Double> toHook = hook.deliveries().stream().map(d -> ms(d.envelope(), d.received())).toList();
                String what = " (" + cycles + " starts and stops of a 320x180 channel, ms)";
                report.stats("event_to_sse_ms", "Stream change to an SSE listener" + what, Stats.of(toSse));
                report.stats("event_to_webhook_ms", "Stream change to a webhook receiver" + what, Stats.of(toHook));
            } finally {
                remove(id);
            }
        }
    }

    /** Milliseconds from the envelope's {@code time} to {@code received}. */
    private static double ms(JsonNode envelope, Instant received) {
        Duration d = Duration.between(Instant.parse(envelope.path("time").asText()), received);
        return d.toNanos() / 1e6;
    }

    /** {@code events} reloads while the receiver is down, a pause, then the receiver back. */
    void outage(int events) throws IOException, InterruptedException {
        try (HookReceiver hook = new HookReceiver()) {
            String id = add("bench-outage", hook.url(), List.of("config_reloaded"));
            try {
                hook.down();
                long down = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    ok(api.post("/api/config/reload"), "reload");
                }
                Thread.sleep(OUTAGE_PAUSE);
                double downSeconds = (System.nanoTime() - down) / 1e9;
                hook.up();
                long up = System.nanoTime();
                long limit = up + CATCH_UP_LIMIT.toNanos();
                while (distinct(hook) < events && System.nanoTime() < limit) {
                    Thread.sleep(POLL_MS);
                }
                double catchUp = (System.nanoTime() - up) / 1e9;
                List<HookReceiver.Delivery> got = hook.deliveries();
                int delivered = distinct(hook);
                List<Long> sequences = got.stream().map(HookReceiver.Delivery::sequence).toList();
                boolean inOrder = sequences.equals(sequences.stream().sorted().toList());
                String what = String.format(Locale.ROOT, "Webhook outage (receiver down %.0f s): ",
                        downSeconds);
                report.value("outage_sent", what + "events sent", events);
                report.value("outage_delivered", what + "events delivered", delivered);
                report.value("outage_duplicates", what + "duplicates", got.size() - delivered);
                report.value("outage_lost", what + "lost", events - delivered);
                report.value("outage_in_order", what + "delivered in order", inOrder);
                report.value("outage_catch_up_s", what + "caught up after it came back (s)", catchUp);
                if (delivered < events) {
                    throw new IllegalStateException((events - delivered) + " event(s) not delivered within "
                            + CATCH_UP_LIMIT.toMinutes() + " min of the receiver coming back");
                }
            } finally {
                remove(id);
            }
        }
    }

    private static int distinct(HookReceiver hook) {
        Set<String> ids = new HashSet<>();
        hook.deliveries().forEach(d -> ids.add(d.eventId()));
        return ids.size();
    }

    /** Adds a receiver through the API; returns its id. */
    private String add(String id, String url, List<String> types) throws IOException, InterruptedException {
        String body = "{\"id\": \"" + id + "\", \"url\": \"" + url + "\", \"events\": [\""
                + String.join("\", \"", types) + "\"]}";
        HttpResponse<String> r = api.post("/api/webhooks", body);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST /api/webhooks: HTTP " + r.statusCode() + " " + r.body());
        }
        return id;
    }

    private void remove(String id) throws IOException, InterruptedException {
        ok(api.delete("/api/webhooks/" + id), "DELETE /api/webhooks/" + id);
    }

    private static void ok(HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private static void await(Check check, Duration limit, String what) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < limit.toNanos()) {
            if (check.done()) {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("no " + what + " within " + limit.toSeconds() + " s");
    }

    @FunctionalInterface
    private interface Check {
        boolean done() throws IOException, InterruptedException;
    }
}
