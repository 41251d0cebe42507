package dev.headend.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.security.Secrets;
import dev.headend.time.TimeSource;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to the webhook receivers: one virtual thread per receiver, taking its
 * oldest pending event, POSTing it, and moving on only once it was delivered or given up (dead)
 * — so each receiver gets its events in sequence order, and a slow or dead receiver delays only
 * itself. A failed attempt waits {@link Backoff} before the next; an event still failing
 * {@code giveUpAfter} after it was stored is marked dead.
 *
 * <p>Each request carries {@code Idempotency-Key} and {@code X-Headend-Event-Id} (the event id:
 * a retry after a crash resends the same id), the receiver's Bearer token and signature when
 * configured. When a receiver answers {@code stream_started} with JSON holding {@code stream_id}
 * (or {@code id}), that id is kept and sent back as {@code data.receiver_stream_id} in the
 * stream's later events until its {@code stream_ended}.
 *
 * <p>Receivers come from the configuration file (read-only) and from the API ({@link #add},
 * {@link #replace}, {@link #remove}; kept in the {@link WebhookStore}). A receiver gets the events stored after it
 * was added; a removed receiver's pending deliveries are dropped, and so are, at start, those of
 * receivers no longer configured.
 *
 * <p>In a cluster each node delivers only the events it produced, from its own outbox: the
 * cluster's event stream feeds the SSE and WebSocket feeds and never the outbox. So with the same
 * receivers on every node each event is delivered once for the cluster (at least once, as on one
 * node), in its node's order, with no coordination between nodes: the outbox row is written in
 * the transaction that stores the event, before any node hears of it, and webhooks keep working
 * while Redis does not answer. This was chosen over a Redis consumer group, which would let any
 * node deliver any event but would move the delivery state (retries, backoff, dead deliveries, the
 * receivers' stream ids) into Redis, keep one receiver's events in order only by a lock across
 * nodes, and stop every webhook while Redis does not answer. The price: the deliveries a node
 * still owes when it dies wait in its store until it starts again with the same data directory;
 * no other node delivers them, and they are lost with that directory.
 */
public final class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** How long an idle worker sleeps when nothing wakes it (a safety net: stores wake it). */
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final int MAX_ERROR = 300;

    private final WebhookStore store;
    private final EventJournal journal;
    private final Backoff backoff;
    private final Duration giveUpAfter;
    private final TimeSource time;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private long wakeups;
    /** Replaced as a whole under {@code this}: the event log reads it without a lock. */
    private volatile List<WebhookTarget> targets;
    private final Map<String, Thread> workers = new HashMap<>();
    private volatile boolean started;

    /**
     * @param fileTargets the configuration file's receivers; the store's (added through the API)
     *     join them
     * @throws InvalidWebhookException when a receiver of the file has the id of one in the store
     */
    public WebhookDispatcher(List<WebhookTarget> fileTargets, WebhookStore store, EventJournal journal,
            Backoff backoff, Duration giveUpAfter, TimeSource time) {
        this.store = store;
        this.journal = journal;
        this.backoff = backoff;
        this.giveUpAfter = giveUpAfter;
        this.time = time;
        Set<String> fileIds = fileTargets.stream().map(WebhookTarget::id).collect(Collectors.toSet());
        List<WebhookTarget> all = new ArrayList<>(fileTargets);
        for (WebhookTarget t : store.receivers()) {
            if (fileIds.contains(t.id())) {
                throw new InvalidWebhookException("webhook " + t.id() + " is in the configuration file and was also"
                        + " added through the API: give the file's receiver another id");
            }
            all.add(t);
        }
        this.targets = List.copyOf(all);
    }

    public List<WebhookTarget> targets() {
        return targets;
    }

    public Optional<WebhookTarget> find(String id) {
        return targets.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The receivers an event goes to. */
    public List<String> receiversFor(Event e) {
        return targets.stream().filter(t -> t.wants(e.type())).map(WebhookTarget::id).toList();
    }

    public Map<String, ReceiverCounts> counts() {
        return journal.counts();
    }

    /**
     * Drops the pending deliveries of receivers no longer configured, then starts one worker per
     * receiver.
     */
    public synchronized void start() {
        Set<String> ids = targets.stream().map(WebhookTarget::id).collect(Collectors.toSet());
        store.dropPendingExcept(ids).forEach((id, n) -> log.info(
                "webhook {} is no longer configured: dropped its {} pending delivery(ies)", id, n));
        started = true;
        targets.forEach(this::startWorker);
        log.info("{} webhook receiver(s)", targets.size());
    }

    private void startWorker(WebhookTarget t) {
        workers.put(t.id(), Thread.ofVirtual().name("webhook-" + t.id()).start(() -> run(t)));
    }

    /** Stops the workers; what is pending stays in the outbox for the next start. */
    public synchronized void stop() throws InterruptedException {
        started = false;
        for (Thread w : workers.values()) {
            w.interrupt();
        }
        for (Thread w : workers.values()) {
            w.join(Duration.ofSeconds(5));
        }
        workers.clear();
    }

    /**
     * Adds a receiver defined through the API: stored, then sent the events stored from now on.
     * Returns false, changing nothing, when its id is taken.
     */
    public synchronized boolean add(WebhookTarget t) {
        if (find(t.id()).isPresent()) {
            return false;
        }
        store.add(t, time.wallClock().toEpochMilli());
        List<WebhookTarget> more = new ArrayList<>(targets);
        more.add(t);
        targets = List.copyOf(more);
        if (started) {
            startWorker(t);
        }
        log.info("webhook {}: added through the API, posting to {}", t.id(), Secrets.mask(t.url().toString()));
        return true;
    }

    /**
     * Changes a receiver added through the API (same id): stored, and its worker restarted on the
     * new definition; its pending deliveries stay and go to it. Returns false, changing nothing,
     * when it is gone.
     */
    public synchronized boolean replace(WebhookTarget t) throws InterruptedException {
        if (t.origin() != WebhookTarget.Origin.API) {
            throw new IllegalArgumentException("webhook " + t.id() + " is defined in the configuration file");
        }
        if (find(t.id()).isEmpty()) {
            return false;
        }
        store.replace(t);
        targets = targets.stream().map(other -> other.id().equals(t.id()) ? t : other).toList();
        stopWorker(t.id());
        if (started) {
            startWorker(t);
        }
        log.info("webhook {}: changed through the API, posting to {}", t.id(), Secrets.mask(t.url().toString()));
        return true;
    }

    private void stopWorker(String id) throws InterruptedException {
        Thread worker = workers.remove(id);
        if (worker != null) {
            worker.interrupt();
            worker.join(Duration.ofSeconds(5));
        }
    }

    /**
     * Removes a receiver added through the API: no event goes to it any more, its worker stops
     * and its pending deliveries are dropped. Returns how many were dropped; empty, changing
     * nothing, when it is gone already.
     */
    public synchronized OptionalInt remove(WebhookTarget t) throws InterruptedException {
        if (t.origin() != WebhookTarget.Origin.API) {
            throw new IllegalArgumentException("webhook " + t.id() + " is defined in the configuration file");
        }
        if (find(t.id()).isEmpty()) {
            return OptionalInt.empty();
        }
        targets = targets.stream().filter(other -> !other.id().equals(t.id())).toList();
        stopWorker(t.id());
        int dropped = store.remove(t.id());
        log.info("webhook {}: removed through the API; dropped its {} pending delivery(ies)", t.id(), dropped);
        return OptionalInt.of(dropped);
    }

    /** New outbox rows: wakes every worker. */
    public void wake() {
        lock.lock();
        try {
            wakeups++;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Until interrupted (the receiver removed, or the dispatcher stopped). */
    private void run(WebhookTarget t) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long seen = wakeups();
                Optional<OutboxEntry> next = journal.nextPending(t.id());
                if (next.isEmpty()) {
                    await(seen, IDLE);
                    continue;
                }
                OutboxEntry entry = next.get();
                long wait = entry.nextAttemptMs() - time.wallClock().toEpochMilli();
                if (wait > 0) {
                    await(seen, Duration.ofMillis(wait));
                    continue;
                }
                attempt(t, entry);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("webhook {}: delivery worker error, retrying: {}", t.id(), e.toString());
                try {
                    Thread.sleep(IDLE);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private long wakeups() {
        lock.lock();
        try {
            return wakeups;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a wake-up after {@code seen}, at most {@code max}. */
    private void await(long seen, Duration max) throws InterruptedException {
        lock.lock();
        try {
            long nanos = max.toNanos();
            while (wakeups == seen && nanos > 0) {
                nanos = work.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private void attempt(WebhookTarget t, OutboxEntry entry) throws InterruptedException {
        StoredEvent event = entry.event();
        ObjectNode envelope = (ObjectNode) parse(event.json());
        String eventId = envelope.path("event_id").asText();
        Optional<String> channel = event.channelId();
        if (channel.isPresent()) {
            journal.receiverStreamId(t.id(), channel.get()).ifPresent(id ->
                    ((ObjectNode) envelope.path("data")).put("receiver_stream_id", id));
        }
        byte[] body = envelope.toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(t.url())
                .timeout(t.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", eventId)
                .header("X-Headend-Event-Id", eventId)
                .header("X-Headend-Event-Type", event.type())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        t.token().ifPresent(token -> request.header("Authorization", "Bearer " + token.reveal()));
        t.secret().ifPresent(secret -> request.header(WebhookSignature.HEADER,
                WebhookSignature.of(secret, time.wallClock().getEpochSecond(), body)));
        String error;
        try {
            HttpResponse<String> response = Client.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                delivered(t, entry, response.body());
                return;
            }
            error = "HTTP " + response.statusCode();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        failed(t, entry, Secrets.mask(error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error));
    }

    private void delivered(WebhookTarget t, OutboxEntry entry, String responseBody) {
        StoredEvent event = entry.event();
        long now = time.wallClock().toEpochMilli();
        if (event.channelId().isPresent()) {
            String channel = event.channelId().get();
            if (event.type().equals("stream_started")) {
                receiverStreamId(responseBody).ifPresent(id -> journal.rememberReceiverStreamId(t.id(), channel, id));
            } else if (event.type().equals("stream_ended")) {
                journal.forgetReceiverStreamId(t.id(), channel);
            }
        }
        journal.delivered(t.id(), event.sequence(), now);
    }

    private void failed(WebhookTarget t, OutboxEntry entry, String error) {
        long now = time.wallClock().toEpochMilli();
        long sequence = entry.event().sequence();
        if (now - entry.createdMs() >= giveUpAfter.toMillis()) {
            log.warn("webhook {}: giving up event {} after {} attempt(s): {}", t.id(), sequence, entry.attempts() + 1,
                    error);
            journal.dead(t.id(), sequence, now, error);
            return;
        }
        Duration delay = backoff.delay(entry.attempts() + 1, ThreadLocalRandom.current().nextDouble());
        log.debug("webhook {}: event {} failed ({}), next attempt in {} ms", t.id(), sequence, error, delay.toMillis());
        journal.failed(t.id(), sequence, now + delay.toMillis(), error);
    }

    /** The {@code stream_id} (or {@code id}) of a JSON object answer. */
    static Optional<String> receiverStreamId(String body) {
        JsonNode node = parse(body);
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        JsonNode id = node.hasNonNull("stream_id") ? node.get("stream_id") : node.get("id");
        return id != null && id.isValueNode() && !id.asText().isEmpty() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : Events.JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * The client all dispatchers send with, made at the first delivery (the holder class is
     * initialised then), not at start-up: an HTTP client sets up TLS and reads the trust store,
     * a few hundred milliseconds a server without receivers should not wait for.
     */
    private static final class Client {
        static final HttpClient HTTP = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }
}
