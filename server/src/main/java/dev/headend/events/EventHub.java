package dev.headend.events;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * Live fan-out of stored events to feed listeners (SSE, WebSocket). Each listener has a bounded
 * queue of its own; publishing never waits: when a listener's queue is full it is marked
 * overflowed and gets nothing more until it has caught up from the journal ({@link
 * Listener#resume}). So a listener that never reads costs the others nothing.
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

    /** Offers stored events, in sequence order, to every listener. Never blocks. */
    void publish(List<StoredEvent> events) {
        for (Listener l : listeners) {
            for (StoredEvent e : events) {
                if (!l.offer(e)) {
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
            l.queue.offer(END);
        }
    }

    public int listeners() {
        return listeners.size();
    }

    /** Queued to wake a listener when the feed ends. */
    private static final StoredEvent END = new StoredEvent(-1, "", Optional.empty(), "");

    /** What a listener takes next. */
    public sealed interface Next {
        record Item(StoredEvent event) implements Next {}

        /** Its queue overflowed: events were dropped; {@link Listener#resume} then read the journal. */
        record Gap() implements Next {}

        /** Nothing within the wait. */
        record Idle() implements Next {}

        /** The feed ends. */
        record End() implements Next {}
    }

    /** One listener's queue. Taken from by one thread. */
    public final class Listener implements AutoCloseable {
        private final BlockingQueue<StoredEvent> queue;
        private volatile boolean overflowed;
        private volatile boolean closed;

        private Listener(int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        private boolean offer(StoredEvent e) {
            if (overflowed || closed) {
                return false;
            }
            if (!queue.offer(e)) {
                overflowed = true;
                return false;
            }
            return true;
        }

        public Next next(Duration wait) throws InterruptedException {
            if (overflowed) {
                return new Next.Gap();
            }
            StoredEvent e = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (e == END || closed) {
                return new Next.End();
            }
            if (e == null) {
                return overflowed ? new Next.Gap() : new Next.Idle();
            }
            return new Next.Item(e);
        }

        /**
         * After a gap: empties the queue and takes events again. The caller then reads the
         * journal after the last event it sent, and skips queued events it already sent.
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
