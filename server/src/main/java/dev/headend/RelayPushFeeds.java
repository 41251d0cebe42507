package dev.headend;

import dev.headend.pipeline.PushFeeds;
import dev.headend.pipeline.StdinFeed;
import dev.headend.relay.Frame;
import dev.headend.relay.Relay;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Feeds a {@code push:} pipeline from the relay: the stream's images, written one after another
 * to FFmpeg's stdin at their arrival rate. Like a relay viewer, the feed has a latest-frame-wins
 * slot, so an FFmpeg that falls behind skips frames and never slows the publisher.
 */
final class RelayPushFeeds implements PushFeeds {
    /** How often the writer looks whether its process still lives while no frame comes. */
    private static final long IDLE_CHECK_MILLIS = 250;

    private final Relay relay;

    RelayPushFeeds(Relay relay) {
        this.relay = relay;
    }

    @Override
    public StdinFeed feed(String streamId) {
        return (stdin, alive) -> {
            Slot slot = new Slot();
            Runnable unsubscribe = relay.subscribe(streamId, slot::put);
            try {
                while (alive.getAsBoolean()) {
                    Frame frame = slot.take(IDLE_CHECK_MILLIS);
                    if (frame != null) {
                        write(stdin, frame.image());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                unsubscribe.run();
            }
        };
    }

    private static void write(OutputStream out, ByteBuffer image) throws IOException {
        byte[] bytes = new byte[image.remaining()];
        image.get(bytes);
        out.write(bytes);
        out.flush();
    }

    /** One pending frame; a newer one replaces it. */
    private static final class Slot {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition filled = lock.newCondition();
        private Frame pending;

        void put(Frame frame) {
            lock.lock();
            try {
                pending = frame;
                filled.signal();
            } finally {
                lock.unlock();
            }
        }

        Frame take(long waitMillis) throws InterruptedException {
            lock.lock();
            try {
                if (pending == null) {
                    filled.await(waitMillis, TimeUnit.MILLISECONDS);
                }
                Frame f = pending;
                pending = null;
                return f;
            } finally {
                lock.unlock();
            }
        }
    }
}
