package dev.headend.relay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RelayLink} that records what the relay does with it. Sends complete at once unless
 * {@link #hold} is set; held sends wait until {@link #completeHeld} (a slow or frozen peer).
 */
final class FakeLink implements RelayLink {
    final List<String> texts = new ArrayList<>();
    final List<ByteBuffer> binaries = new ArrayList<>();
    final List<SendDone> held = new ArrayList<>();
    int pings;
    Integer closeCode;
    String closeReason;
    boolean aborted;
    boolean hold;
    boolean failSends;

    @Override
    public synchronized void sendText(String text, SendDone done) {
        texts.add(text);
        finish(done);
    }

    @Override
    public synchronized void sendBinary(ByteBuffer message, SendDone done) {
        binaries.add(message);
        finish(done);
    }

    private void finish(SendDone done) {
        if (failSends) {
            done.done(false);
        } else if (hold) {
            held.add(done);
        } else {
            done.done(true);
        }
    }

    /** Completes every held send (successfully), as a slow peer finally reading would. */
    void completeHeld() {
        List<SendDone> now;
        synchronized (this) {
            hold = false;
            now = List.copyOf(held);
            held.clear();
        }
        now.forEach(d -> d.done(true));
    }

    /** The sequence numbers of the frames sent, in order. */
    synchronized List<Long> sequences() {
        return binaries.stream().map(b -> {
            ByteBuffer d = b.duplicate();
            int idLength = d.get(1);
            return d.getLong(2 + idLength);
        }).toList();
    }

    synchronized List<String> types() {
        return texts.stream().map(t -> Messages.type(t).orElse("?")).toList();
    }

    @Override
    public void ping() {
        pings++;
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    @Override
    public void abort() {
        aborted = true;
    }

    @Override
    public String remote() {
        return "/127.0.0.1:5555";
    }
}
