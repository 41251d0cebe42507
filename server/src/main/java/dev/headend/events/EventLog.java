package dev.headend.events;

import dev.headend.stream.StreamChange;
import dev.headend.stream.StreamListener;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable event log: numbers events, stores them (with their outbox rows) and only then
 * hands them to the feeds and the webhook dispatcher.
 *
 * <p>Invariants: {@link #publish} never waits (it queues; streams call it under their lock), so
 * a slow disk never holds a pipeline or a request; one writer thread assigns sequences in queue
 * order, so sequences follow the order events were published, per channel too (a stream
 * publishes under its lock); an event reaches a listener or a receiver only after the
 * transaction that stored it committed; a batch that cannot be stored is retried, never dropped
 * (events arrive at the rate of stream changes, so the queue stays small).
 */
public final class EventLog implements StreamListener {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int MAX_BATCH = 512;
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** An event waiting for its sequence. */
    private record Pending(UUID id, Instant time, Optional<String> channelId, EventData data,
            Optional<String> onlyReceiver) {}

    private static final Pending STOP = new Pending(new UUID(0, 0), Instant.EPOCH, Optional.empty(),
            new EventData.CircuitClosed(), Optional.empty());

    private final EventJournal journal;
    private final EventHub hub;
    private final String node;
    private final TimeSource time;
    private final Function<Event, List<String>> receivers;
    private final Runnable onStored;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Events queued so far, and stored so far (under {@link #storedLock}): {@link #flush} waits for the one to reach the other. */
    private final AtomicLong queued = new AtomicLong();
    private final Object storedLock = new Object();
    private long stored;
    private long sequence;
    private Thread writer;

    /**
     * @param receivers the webhook receivers an event goes to
     * @param onStored told after each stored batch (wakes the webhook dispatcher)
     */
    public EventLog(EventJournal journal, EventHub hub, String node, TimeSource time,
            Function<Event, List<String>> receivers, Runnable onStored) {
        this.journal = journal;
        this.hub = hub;
        this.node = node;
        this.time = time;
        this.receivers = receivers;
        this.onStored = onStored;
    }

    /**
     * Starts the writer. Streams that were running when the server last died (their start
     * stored, their end not) end first, with reason {@code crashed}.
     */
    public synchronized void start() {
        sequence = journal.lastSequence();
        List<String> crashed = journal.runningStreams();
        if (!crashed.isEmpty()) {
            log.warn("the server was not stopped cleanly: stream(s) {} were running; telling listeners they ended",
                    crashed);
        }
        for (String channelId : crashed) {
            publish(channelId, new EventData.StreamEnded("crashed", "the server stopped without ending the stream"));
        }
        writer = Thread.ofPlatform().name("event-writer").daemon().start(this::write);
    }

    /** Stores what is queued, then stops the writer. */
    public synchronized void stop() throws InterruptedException {
        if (writer == null) {
            return;
        }
        queue.add(STOP);
        writer.join(Duration.ofSeconds(10));
        writer = null;
    }

    @Override
    public void changed(StreamChange change) {
        publish(change.channelId(), Events.of(change));
    }

    /** Queues an event about a channel. Never blocks. */
    public UUID publish(String channelId, EventData data) {
        return queue(new Pending(UUID.randomUUID(), time.wallClock(), Optional.of(channelId), data, Optional.empty()));
    }

    /** Queues an event about the server. Never blocks. */
    public UUID publishServerEvent(EventData data) {
        return queue(new Pending(UUID.randomUUID(), time.wallClock(), Optional.empty(), data, Optional.empty()));
    }

    /** Queues a test event for one webhook receiver only. */
    public UUID publishTest(String receiverId) {
        return queue(new Pending(UUID.randomUUID(), time.wallClock(), Optional.empty(),
                new EventData.WebhookTest(receiverId), Optional.of(receiverId)));
    }

    private UUID queue(Pending p) {
        queued.incrementAndGet();
        queue.add(p);
        return p.id();
    }

    /**
     * Waits until the events queued before this call are stored (and handed to the hub), at most
     * {@code wait}; true when they are. For what reads the journal at shutdown (the cluster's
     * event stream takes the {@code stream_ended} of the streams just stopped).
     */
    public boolean flush(Duration wait) throws InterruptedException {
        long target = queued.get();
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (storedLock) {
            while (stored < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(storedLock, left);
            }
        }
        return true;
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(STOP);
            if (!batch.isEmpty() && !store(batch, stopping)) {
                return;
            }
            batch.clear();
        }
    }

    /** Stores the batch (retrying while the store fails, once when stopping), then publishes it. */
    private boolean store(List<Pending> batch, boolean stopping) {
        List<Event> events = new ArrayList<>(batch.size());
        List<Delivery> deliveries = new ArrayList<>();
        long next = sequence;
        for (Pending p : batch) {
            Event e = new Event(p.id(), ++next, p.time(), p.channelId(), node, p.data());
            events.add(e);
            List<String> to = p.onlyReceiver().map(List::of).orElseGet(() -> receivers.apply(e));
            for (String receiver : to) {
                deliveries.add(new Delivery(receiver, e.sequence(), e.time().toEpochMilli()));
            }
        }
        while (true) {
            try {
                journal.append(events, deliveries);
                break;
            } catch (RuntimeException e) {
                log.error("cannot store {} event(s), retrying in {} ms: {}", events.size(), RETRY.toMillis(),
                        e.getMessage());
                if (stopping) {
                    return false;
                }
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        sequence = next;
        hub.publish(events.stream().map(StoredEvent::of).toList());
        synchronized (storedLock) {
            stored += events.size();
            storedLock.notifyAll();
        }
        if (!deliveries.isEmpty()) {
            onStored.run();
        }
        return true;
    }
}
