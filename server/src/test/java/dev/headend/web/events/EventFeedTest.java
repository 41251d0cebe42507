package dev.headend.web.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.channel.ChannelCatalog;
import dev.headend.events.EventData;
import dev.headend.events.EventFilter;
import dev.headend.events.EventHub;
import dev.headend.events.EventLog;
import dev.headend.events.JournalEventSource;
import dev.headend.events.SqliteEventJournal;
import dev.headend.resilience.RestartPolicy;
import dev.headend.store.Database;
import dev.headend.stream.Failover;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamListener;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSettings;
import dev.headend.support.FakeLauncher;
import dev.headend.support.FakeSlates;
import dev.headend.support.ManualTime;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The feed over a real store and hub, with a client that stalls: a gap, then every event once, in order. */
class EventFeedTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final ManualTime time = new ManualTime();
    private final Database db;
    private final SqliteEventJournal journal;
    private final EventHub hub = new EventHub(4);
    private final EventLog log;
    private final EventFeed feed;

    EventFeedTest() throws Exception {
        db = Database.open(Files.createTempDirectory("headend-feed"));
        journal = new SqliteEventJournal(db);
        log = new EventLog(journal, hub, "n", time, e -> List.of(), () -> { });
        log.start();
        StreamManager streams = new StreamManager(new ChannelCatalog(List.of()), new StreamContext(new FakeLauncher(),
                new RestartPolicy(RestartPolicy.Config.defaults(), time), new FakeSlates(), time, time, Runnable::run,
                new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(5),
                        Duration.ofHours(24), new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))),
                StreamListener.NONE));
        feed = new EventFeed(new JournalEventSource(journal, hub), streams);
    }

    @AfterEach
    void close() throws InterruptedException {
        hub.close();
        log.stop();
        db.close();
    }

    private record Sent(long id, String type) {}

    @Test
    void aClientThatStallsGetsAGapThenEveryEventOnceInOrderFromTheStore() throws Exception {
        List<Sent> sent = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread client = Thread.ofVirtual().start(() -> {
            try {
                feed.run(EventFilter.ALL, Optional.empty(), new FeedSink() {
                    @Override
                    public void send(String id, String type, String json) throws java.io.IOException {
                        sent.add(new Sent(Long.parseLong(id), type));
                        if (type.equals("snapshot")) {
                            try {
                                release.await(BOUND.toSeconds(), TimeUnit.SECONDS); // the client stalls
                            } catch (InterruptedException e) {
                                throw new java.io.IOException(e);
                            }
                        }
                    }

                    @Override
                    public void keepAlive() {
                    }
                });
            } catch (Exception e) {
                sent.add(new Sent(-1, e.toString()));
            }
        });
        await().atMost(BOUND).until(() -> !sent.isEmpty());
        // listeners hear a batch in the order they registered: once this later one overflowed, the feed's did
        EventHub.Listener probe = hub.listen();
        int events = 30;
        for (int i = 0; i < events; i++) {
            log.publish("cam", new EventData.StreamRecovered(i));
        }
        await().atMost(BOUND).until(() -> journal.lastSequence() == events);
        await().atMost(BOUND).until(() -> probe.next(Duration.ZERO) instanceof EventHub.Next.Gap);
        probe.close();

        release.countDown();

        await().atMost(BOUND).until(() -> sent.stream().filter(s -> s.type().equals("stream_recovered")).count()
                == events);
        assertThat(sent.getFirst()).isEqualTo(new Sent(0, "snapshot"));
        assertThat(sent).extracting(Sent::type).contains("gap");
        assertThat(sent.stream().filter(s -> s.type().equals("stream_recovered")).map(Sent::id).toList())
                .isSorted().doesNotHaveDuplicates().hasSize(events).startsWith(1L).endsWith((long) events);
        log.publish("cam", new EventData.StreamRecovered(99));
        await().atMost(BOUND).until(() -> sent.getLast().id() == events + 1);
        hub.close();
        client.join(BOUND);
        assertThat(client.isAlive()).as("the feed ends when the hub closes").isFalse();
    }

    @Test
    void aResumingClientGetsOnlyTheEventsAfterItsLastAndMatchingTheFilter() throws Exception {
        for (int i = 0; i < 5; i++) {
            log.publish(i % 2 == 0 ? "cam" : "lobby", new EventData.StreamRecovered(i));
        }
        await().atMost(BOUND).until(() -> journal.lastSequence() == 5);
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Thread client = Thread.ofVirtual().start(() -> {
            try {
                feed.run(new EventFilter(java.util.Set.of("cam"), java.util.Set.of()), Optional.of(1L),
                        new FeedSink() {
                            @Override
                            public void send(String id, String type, String json) {
                                sent.add(new Sent(Long.parseLong(id), type));
                            }

                            @Override
                            public void keepAlive() {
                            }
                        });
            } catch (Exception e) {
                sent.add(new Sent(-1, e.toString()));
            }
        });

        await().atMost(BOUND).until(() -> sent.size() == 2);
        assertThat(sent).extracting(Sent::id).containsExactly(3L, 5L);
        hub.close();
        client.join(BOUND);
    }
}
