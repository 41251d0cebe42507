package dev.headend.events;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * Live fan-out of stored events to feed listeners (SSE, WebSocket). Each listener has a bounded
 * queue of its own; publishing never waits: when a listener's queue is full it is marked
 * overflowed and gets nothing more until it has caught up from its {@link EventSource} ({@link
 * Listener#resume}). So a listener that never reads costs the others nothing.
 *
 * <p>Besides numbered events ({@link Next.Item}, in position order) a hub carries what lies
 * outside that order: {@link Next.Aside} events (this node's events while the cluster's stream
 * cannot be reached: they have no cluster position yet) and {@link Next.Notice} messages (such
 * as the stream becoming unreachable), which every listener gets whatever its filter.
 */
public final class EventHub {
    private final Set<Listener> listeners = new CopyOnWriteArraySet<>();
    private final int capacity;

    public EventHub(int capacity) {
        this.capacity = capacity;
    }

    /** A new listener, hearing every event published from now on. Close it when done. */
    public Listener listen() {
        Listener l = new Listener(capacity);
        listeners.add(l);
        return l;
    }

    /** Offers stored events, in position order, to every listener. Never blocks. */
    public void publish(List<StoredEvent> events) {
        offer(events.stream().<Next>map(Next.Item::new).toList());
    }

    /** Offers events outside the position order (they have no position in this hub's source). Never blocks. */
    public void aside(List<StoredEvent> events) {
        offer(events.stream().<Next>map(Next.Aside::new).toList());
    }

    /** Offers a notice to every listener. Never blocks. */
    public void notice(String type, String json) {
        offer(List.of(new Next.Notice(type, json)));
    }

    private void offer(List<Next> items) {
        for (Listener l : listeners) {
            for (Next item : items) {
                if (!l.offer(item)) {
                    break;
                }
            }
        }
    }

    /** Wakes every listener with the end of the feed (the server stops). */
    public void close() {
        for (Listener l : listeners) {
            l.closed = true;
            l.queue.clear();
            l.queue.offer(new Next.End());
        }
    }

    public int listeners() {
        return listeners.size();
    }

    /** What a listener takes next. */
    public sealed interface Next {
        record Item(StoredEvent event) implements Next {}

        /** An event with no position in the hub's source: sent as it is, never counted as seen. */
        record Aside(StoredEvent event) implements Next {}

        /** A message about the feed itself, sent whatever the listener's filter. */
        record Notice(String type, String json) implements Next {}

        /** Its queue overflowed: events were dropped; {@link Listener#resume} then read the journal. */
        record Gap() implements Next {}

        /** Nothing within the wait. */
        record Idle() implements Next {}

        /** The feed ends. */
        record End() implements Next {}
    }

    /** One listener's queue. Taken from by one thread. */
    public final class Listener implements AutoCloseable {
        private final BlockingQueue<Next> queue;
        private volatile boolean overflowed;
        private volatile boolean closed;

        private Listener(int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        private boolean offer(Next item) {
            if (overflowed || closed) {
                return false;
            }
            if (!queue.offer(item)) {
                overflowed = true;
                return false;
            }
            return true;
        }

        public Next next(Duration wait) throws InterruptedException {
            if (overflowed) {
                return new Next.Gap();
            }
            Next item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (item instanceof Next.End || closed) {
                return new Next.End();
            }
            if (item == null) {
                return overflowed ? new Next.Gap() : new Next.Idle();
            }
            return item;
        }

        /**
         * After a gap: empties the queue and takes events again. The caller then reads its source
         * after the last event it sent, and skips queued events it already sent.
         */
        public void resume() {
            queue.clear();
            overflowed = false;
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }
}
