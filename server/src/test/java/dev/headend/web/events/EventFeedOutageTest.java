package dev.headend.web.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.channel.ChannelCatalog;
import dev.headend.events.EventFilter;
import dev.headend.events.EventHub;
import dev.headend.events.EventSource;
import dev.headend.events.StoredEvent;
import dev.headend.resilience.RestartPolicy;
import dev.headend.stream.Failover;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamListener;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSettings;
import dev.headend.support.FakeLauncher;
import dev.headend.support.FakeSlates;
import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed over a source that stops answering (a cluster's stream while Redis is down): it says
 * so once, passes asides and notices with the last id, and when numbered events come again sends
 * what it missed first, each event once, in order.
 */
class EventFeedOutageTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final ManualTime time = new ManualTime();
    private final EventHub hub = new EventHub(64);
    private final Source source = new Source();
    private final EventFeed feed;

    /** Events at positions 10, 20, 30…, ids "p10"…; {@code down} makes every read fail. */
    private final class Source implements EventSource {
        final List<StoredEvent> kept = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile boolean lastKnown = true;

        StoredEvent add(String type) {
            StoredEvent e = new StoredEvent((kept.size() + 1) * 10L, type, Optional.of("cam"), "{\"n\":" + (kept.size()
                    + 1) + "}");
            kept.add(e);
            return e;
        }

        @Override
        public EventHub hub() {
            return hub;
        }

        @Override
        public long lastPosition() {
            if (!lastKnown) {
                throw new UnavailableException("never read", null);
            }
            return kept.isEmpty() ? 0 : kept.getLast().sequence();
        }

        @Override
        public Page after(long position, int limit) {
            if (down) {
                throw new UnavailableException("down", null);
            }
            return new Page(kept.stream().filter(e -> e.sequence() > position).limit(limit).toList(), false);
        }

        @Override
        public String id(long position) {
            return "p" + position;
        }

        @Override
        public Optional<Long> position(String id) {
            return Optional.of(Long.parseLong(id.substring(1)));
        }

        @Override
        public String idForm() {
            return "p and a number";
        }
    }

    private record Sent(String id, String type) {}

    EventFeedOutageTest() {
        StreamManager streams = new StreamManager(new ChannelCatalog(List.of()), new StreamContext(new FakeLauncher(),
                new RestartPolicy(RestartPolicy.Config.defaults(), time), new FakeSlates(), time, time, Runnable::run,
                new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(5),
                        Duration.ofHours(24), new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))),
                StreamListener.NONE));
        feed = new EventFeed(source, streams);
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private Thread run(Optional<Long> resume, EventFilter filter, List<Sent> sent) {
        return Thread.ofVirtual().start(() -> {
            try {
                feed.run(filter, resume, new FeedSink() {
                    @Override
                    public void send(String id, String type, String json) {
                        sent.add(new Sent(id, type));
                    }

                    @Override
                    public void keepAlive() {
                    }
                });
            } catch (Exception e) {
                sent.add(new Sent("-", e.toString()));
            }
        });
    }

    @Test
    void aFeedWhoseSourceStopsAnsweringSaysSoOnceThenCatchesUpWithoutDuplicates() throws Exception {
        source.add("stream_started");
        source.down = true;
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Thread client = run(Optional.of(0L), new EventFilter(Set.of(), Set.of("stream_started", "stream_ended")), sent);
        await().atMost(BOUND).until(() -> sent.size() == 1);
        assertThat(sent).containsExactly(new Sent("p0", "gap"));

        StoredEvent mine = new StoredEvent(7, "stream_ended", Optional.of("cam"), "{}");
        hub.notice("cluster_unavailable", "{}");
        hub.aside(List.of(mine, new StoredEvent(8, "health_changed", Optional.of("cam"), "{}")));
        await().atMost(BOUND).until(() -> sent.size() == 3);
        assertThat(sent.subList(1, 3)).as("the notice whatever the filter; the aside filtered; both at the last id")
                .containsExactly(new Sent("p0", "cluster_unavailable"), new Sent("p0", "stream_ended"));

        source.down = false;
        source.add("stream_ended"); // the aside, now in the source
        StoredEvent live = source.add("stream_started");
        hub.publish(List.of(source.kept.get(1), live));
        await().atMost(BOUND).until(() -> sent.size() == 6);
        assertThat(sent.subList(3, 6)).containsExactly(new Sent("p10", "stream_started"),
                new Sent("p20", "stream_ended"), new Sent("p30", "stream_started"));
        hub.close();
        client.join(BOUND);
    }

    @Test
    void aNewFeedWhoseSourceNeverAnsweredStartsAtTheFirstEventTheHubBrings() throws Exception {
        source.add("stream_started");
        source.lastKnown = false;
        source.down = true;
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Thread client = run(Optional.empty(), EventFilter.ALL, sent);
        await().atMost(BOUND).until(() -> sent.size() == 2);
        assertThat(sent).extracting(Sent::type).containsExactly("snapshot", "gap");

        source.down = false;
        StoredEvent next = source.add("stream_ended");
        hub.publish(List.of(next));
        await().atMost(BOUND).until(() -> sent.size() == 3);
        assertThat(sent.getLast()).as("not the whole source from its start").isEqualTo(new Sent("p20", "stream_ended"));
        hub.close();
        client.join(BOUND);
    }
}
