package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.pipeline.StdinFeed;
import dev.headend.relay.Publisher;
import dev.headend.relay.Relay;
import dev.headend.relay.RelayLink;
import dev.headend.relay.RelayListener;
import dev.headend.relay.RelaySettings;
import dev.headend.support.ManualTime;
import dev.headend.support.TestImages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A push: pipeline's stdin: the stream's latest frame at once, then each new one, until the process ends. */
class RelayPushFeedsTest {
    private static final RelayLink SILENT = new RelayLink() {
        @Override
        public void sendText(String text, SendDone done) {
            done.done(true);
        }

        @Override
        public void sendBinary(ByteBuffer message, SendDone done) {
            done.done(true);
        }

        @Override
        public void ping() { }

        @Override
        public void close(int code, String reason) { }

        @Override
        public void abort() { }

        @Override
        public String remote() {
            return "test";
        }
    };

    @Test
    void theFeedWritesTheImagesAsPublishedAndEndsWithTheProcess() throws Exception {
        Relay relay = new Relay(new RelaySettings(100_000, Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(45)), new ManualTime(),
                RelayListener.NONE);
        Publisher publisher = ((Relay.Admission.Accepted) relay.publish("cam", SILENT)).publisher();
        byte[] first = TestImages.jpeg(16, 16, 300);
        byte[] second = TestImages.png(16, 16);
        publisher.binary(first);
        StdinFeed feed = new RelayPushFeeds(relay).feed("cam");
        ByteArrayOutputStream stdin = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
            }
        };
        AtomicBoolean alive = new AtomicBoolean(true);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                feed.run(stdin, alive::get);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stdin.size() == first.length);
        publisher.binary(second);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stdin.size() == first.length + second.length);
        alive.set(false);
        writer.join();

        byte[] written = stdin.toByteArray();
        assertThat(java.util.Arrays.copyOfRange(written, 0, first.length)).isEqualTo(first);
        assertThat(java.util.Arrays.copyOfRange(written, first.length, written.length)).isEqualTo(second);
        publisher.binary(first);
        assertThat(stdin.size()).isEqualTo(first.length + second.length);
    }
}
