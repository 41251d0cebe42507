package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.store.Database;
import dev.headend.stream.StreamChange;
import dev.headend.support.ManualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The log over a real SQLite store: numbering, the outbox and its order, the running streams. */
class EventLogTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final ManualTime time = new ManualTime();
    private final Path dir;
    private Database db;
    private SqliteEventJournal journal;
    private EventHub hub;
    private EventLog log;
    private final AtomicInteger stored = new AtomicInteger();

    EventLogTest() throws Exception {
        dir = Files.createTempDirectory("headend-events");
        open();
    }

    private void open() {
        db = Database.open(dir);
        journal = new SqliteEventJournal(db);
        hub = new EventHub(16);
        log = new EventLog(journal, hub, "n1", time, e -> e.type().equals("health_changed") ? List.of("a")
                : List.of("a", "b"), stored::incrementAndGet);
        log.start();
    }

    private void restart() throws InterruptedException {
        log.stop();
        db.close();
        open();
    }

    @AfterEach
    void close() throws InterruptedException {
        log.stop();
        db.close();
    }

    private List<StoredEvent> all() {
        return journal.after(0, 1000);
    }

    private static JsonNode json(StoredEvent e) throws Exception {
        return Events.JSON.readTree(e.json());
    }

    @Test
    void eventsAreNumberedInTheOrderPublishedAndSurviveARestart() throws Exception {
        log.changed(new StreamChange.Started("cam", 0, "test:"));
        log.changed(new StreamChange.HealthChanged("cam", dev.headend.stream.HealthStatus.DEGRADED, "slow"));
        log.changed(new StreamChange.Ended("cam", StreamChange.EndReason.STOPPED, "api"));
        await().atMost(BOUND).until(() -> all().size() == 3);

        restart();
        log.publishServerEvent(new EventData.WebhookTest("x"));
        await().atMost(BOUND).until(() -> all().size() == 4);

        assertThat(all()).extracting(StoredEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all()).extracting(StoredEvent::type).containsExactly("stream_started", "health_changed",
                "stream_ended", "webhook_test");
        assertThat(json(all().getFirst()).get("node").asText()).isEqualTo("n1");
        assertThat(journal.runningStreams()).as("started then ended").isEmpty();
    }

    @Test
    void streamsRunningWhenTheServerDiedEndAsCrashedAtTheNextStart() throws Exception {
        log.changed(new StreamChange.Started("cam", 0, "test:"));
        log.changed(new StreamChange.Started("lobby", 0, "test:"));
        log.changed(new StreamChange.Ended("lobby", StreamChange.EndReason.IDLE, "no viewers"));
        await().atMost(BOUND).until(() -> all().size() == 3);
        assertThat(journal.runningStreams()).containsExactly("cam");

        restart(); // as after a kill: the running table still names cam

        await().atMost(BOUND).until(() -> all().size() == 4);
        StoredEvent crashed = all().getLast();
        assertThat(crashed.type()).isEqualTo("stream_ended");
        assertThat(crashed.channelId()).contains("cam");
        assertThat(json(crashed).get("data").get("reason").asText()).isEqualTo("crashed");
        assertThat(journal.runningStreams()).isEmpty();
    }

    @Test
    void eachReceiverGetsItsOutboxInSequenceOrderOneAtATime() {
        for (int i = 0; i < 5; i++) {
            log.publish("cam", new EventData.StreamRecovered(i));
        }
        log.changed(new StreamChange.HealthChanged("cam", dev.headend.stream.HealthStatus.HEALTHY, null));
        await().atMost(BOUND).until(() -> all().size() == 6);

        assertThat(journal.nextPending("b").orElseThrow().event().sequence()).isEqualTo(1);
        journal.failed("b", 1, 0, "HTTP 503");
        assertThat(journal.nextPending("b").orElseThrow().event().sequence()).as("a failure keeps the head")
                .isEqualTo(1);
        journal.delivered("b", 1, 10);
        journal.dead("b", 2, 11, "HTTP 410");
        assertThat(journal.nextPending("b").orElseThrow().event().sequence()).isEqualTo(3);
        for (long s = 1; s <= 6; s++) {
            assertThat(journal.nextPending("a").orElseThrow().event().sequence()).isEqualTo(s);
            journal.delivered("a", s, 20);
        }
        assertThat(journal.nextPending("a")).isEmpty();

        ReceiverCounts b = journal.counts().get("b");
        assertThat(b.delivered()).isEqualTo(1);
        assertThat(b.dead()).isEqualTo(1);
        assertThat(b.pending()).as("health_changed went to a only").isEqualTo(3);
        assertThat(b.failedAttempts()).isEqualTo(2);
        assertThat(b.lastError()).contains("HTTP 410");
        assertThat(journal.counts().get("a").delivered()).isEqualTo(6);
    }

    @Test
    void aTestEventGoesToItsReceiverOnly() {
        log.publishTest("b");
        await().atMost(BOUND).until(() -> all().size() == 1);

        assertThat(journal.nextPending("b")).isPresent();
        assertThat(journal.nextPending("a")).isEmpty();
    }

    @Test
    void receiverStreamIdsAreKeptPerReceiverAndChannel() {
        journal.rememberReceiverStreamId("a", "cam", "orc-1");
        journal.rememberReceiverStreamId("b", "cam", "other");

        assertThat(journal.receiverStreamId("a", "cam")).contains("orc-1");
        journal.forgetReceiverStreamId("a", "cam");
        assertThat(journal.receiverStreamId("a", "cam")).isEmpty();
        assertThat(journal.receiverStreamId("b", "cam")).contains("other");
    }

    @Test
    void pruningKeepsTheNewestAndWhatIsStillPending() {
        for (int i = 0; i < 10; i++) {
            log.publish("cam", new EventData.StreamRecovered(i));
        }
        await().atMost(BOUND).until(() -> all().size() == 10);
        for (long s = 1; s <= 10; s++) {
            journal.delivered("a", s, 0);
            if (s != 2) {
                journal.delivered("b", s, 0);
            }
        }

        int pruned = journal.prune(Long.MAX_VALUE, 3);

        assertThat(pruned).isEqualTo(6);
        assertThat(all()).extracting(StoredEvent::sequence).containsExactly(2L, 8L, 9L, 10L);
        assertThat(journal.nextPending("b").orElseThrow().event().sequence()).isEqualTo(2);
    }

    @Test
    void storedEventsReachHubListenersAfterTheyAreStored() throws Exception {
        try (EventHub.Listener l = hub.listen()) {
            log.publish("cam", new EventData.StreamRecovered(1));

            EventHub.Next next = l.next(BOUND);

            assertThat(next).isInstanceOf(EventHub.Next.Item.class);
            long seq = ((EventHub.Next.Item) next).event().sequence();
            assertThat(journal.after(seq - 1, 1)).hasSize(1);
            await().atMost(BOUND).alias("the dispatcher woken after the store").until(() -> stored.get() > 0);
        }
    }

    @Test
    void aListenerThatDoesNotTakeGetsAGapAndOthersGetEverything() throws Exception {
        try (EventHub.Listener stalled = hub.listen(); EventHub.Listener reader = hub.listen()) {
            for (int i = 0; i < 40; i++) {
                log.publish("cam", new EventData.StreamRecovered(i));
                EventHub.Next n = reader.next(BOUND);
                assertThat(n).isInstanceOf(EventHub.Next.Item.class);
                assertThat(((EventHub.Next.Item) n).event().sequence()).isEqualTo(i + 1);
            }

            assertThat(stalled.next(Duration.ZERO)).isInstanceOf(EventHub.Next.Gap.class);
            stalled.resume();
            log.publish("cam", new EventData.StreamRecovered(99));
            EventHub.Next after = stalled.next(BOUND);
            assertThat(after).isInstanceOf(EventHub.Next.Item.class);
            assertThat(((EventHub.Next.Item) after).event().sequence()).isEqualTo(41);
            assertThat(Optional.of(hub.listeners())).contains(2);
        }
    }

    @Test
    void flushReturnsOnceEveryEventQueuedBeforeItIsStored() throws Exception {
        for (int i = 0; i < 50; i++) {
            log.publish("cam", new EventData.StreamRecovered(i));
        }
        assertThat(log.flush(BOUND)).isTrue();
        assertThat(journal.lastSequence()).isEqualTo(50);
        assertThat(log.flush(Duration.ZERO)).as("nothing queued since").isTrue();
    }
}
