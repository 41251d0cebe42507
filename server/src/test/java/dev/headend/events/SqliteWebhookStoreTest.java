package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.security.Secret;
import dev.headend.store.Database;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API's receivers in the store, and dropping the outbox of receivers that are gone. */
class SqliteWebhookStoreTest {
    private final Path dir;
    private Database db;
    private SqliteWebhookStore store;
    private SqliteEventJournal journal;

    SqliteWebhookStoreTest() throws Exception {
        dir = Files.createTempDirectory("headend-webhooks");
        open();
    }

    private void open() {
        db = Database.open(dir);
        store = new SqliteWebhookStore(db);
        journal = new SqliteEventJournal(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static WebhookTarget receiver(String id, Optional<Secret> token, Set<String> events) {
        return new WebhookTarget(id, URI.create("https://hooks.example/" + id), token,
                Optional.of(Secret.of("signing-secret-0123456789")), events, Duration.ofSeconds(7),
                WebhookTarget.Origin.API);
    }

    /** Stores events 1..n, each due to every receiver named. */
    private void events(int n, String... receivers) {
        for (int i = 1; i <= n; i++) {
            Event e = new Event(UUID.randomUUID(), journal.lastSequence() + 1, Instant.ofEpochMilli(1000 + i),
                    Optional.of("cam"), "n1", new EventData.StreamRecovered(i));
            journal.append(List.of(e), List.of(receivers).stream().map(r -> new Delivery(r, e.sequence(), 1000))
                    .toList());
        }
    }

    @Test
    void receiversAreKeptWithTheirSecretsAcrossAReopen() {
        store.add(receiver("a", Optional.of(Secret.of("bearer-token-0123456789")), Set.of("stream_started",
                "stream_ended")), 1);
        store.add(receiver("b", Optional.empty(), Set.of()), 2);

        db.close();
        open();

        List<WebhookTarget> kept = store.receivers();
        assertThat(kept).extracting(WebhookTarget::id).containsExactly("a", "b");
        WebhookTarget a = kept.getFirst();
        assertThat(a.url()).isEqualTo(URI.create("https://hooks.example/a"));
        assertThat(a.token().orElseThrow().reveal()).isEqualTo("bearer-token-0123456789");
        assertThat(a.secret().orElseThrow().reveal()).isEqualTo("signing-secret-0123456789");
        assertThat(a.events()).containsExactlyInAnyOrder("stream_started", "stream_ended");
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(a.origin()).isEqualTo(WebhookTarget.Origin.API);
        assertThat(kept.get(1).token()).isEmpty();
        assertThat(kept.get(1).events()).isEmpty();
    }

    @Test
    void aReplacedDefinitionIsKeptAndItsOutboxStays() {
        store.add(receiver("a", Optional.of(Secret.of("bearer-token-0123456789")), Set.of("stream_started")), 1);
        events(2, "a");

        store.replace(new WebhookTarget("a", URI.create("https://elsewhere.example/hook"), Optional.empty(),
                Optional.empty(), Set.of(), Duration.ofSeconds(30), WebhookTarget.Origin.API));
        db.close();
        open();

        WebhookTarget a = store.receivers().getFirst();
        assertThat(a.url()).isEqualTo(URI.create("https://elsewhere.example/hook"));
        assertThat(a.token()).isEmpty();
        assertThat(a.secret()).isEmpty();
        assertThat(a.events()).isEmpty();
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(journal.counts().get("a").pending()).isEqualTo(2);
    }

    @Test
    void removingAReceiverDropsItsPendingRowsOnlyAndKeepsOthers() {
        store.add(receiver("a", Optional.empty(), Set.of()), 1);
        events(4, "a", "b");
        journal.delivered("a", 1, 2000);
        journal.rememberReceiverStreamId("a", "cam", "orc-1");

        assertThat(store.remove("a")).isEqualTo(3);

        assertThat(store.receivers()).isEmpty();
        assertThat(journal.nextPending("a")).isEmpty();
        assertThat(journal.receiverStreamId("a", "cam")).isEmpty();
        assertThat(journal.counts().get("a").delivered()).as("history kept until pruned").isEqualTo(1);
        assertThat(journal.counts().get("b").pending()).isEqualTo(4);
        assertThat(store.remove("a")).isZero();
    }

    @Test
    void pendingRowsOfReceiversNoLongerConfiguredAreDropped() {
        events(3, "kept", "gone", "also-gone");
        journal.delivered("gone", 1, 2000);

        Map<String, Integer> dropped = store.dropPendingExcept(Set.of("kept"));

        assertThat(dropped).containsExactly(Map.entry("also-gone", 3), Map.entry("gone", 2));
        assertThat(journal.nextPending("gone")).isEmpty();
        assertThat(journal.nextPending("also-gone")).isEmpty();
        assertThat(journal.counts().get("kept").pending()).isEqualTo(3);
        assertThat(store.dropPendingExcept(Set.of("kept"))).isEmpty();
    }
}
