package dev.headend;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the server, enforced: no cycles, and each package uses only the packages
 * below it. From the top: the entry point and wiring; the HTTP routes ({@code web.api} and the
 * IPTV outputs, {@code web.iptv}, may use {@code web.live}; the event feeds, {@code web.events},
 * use the events; the relay's sockets, {@code web.relay}, use the relay and sessions; all use
 * {@code web},
 * which uses only security and time); configuration reload and metrics; the channel catalog
 * (file, API and template channels, the API's kept in the store); the settings changed while
 * the server runs (kept in the store, over the configuration); the configuration,
 * which binds settings to each component's record (webhook receivers included); the events
 * (log, feeds' fan-out, webhooks), over the store; the cluster (leases, node registry, relay
 * between nodes, on Redis: streams and security; the cluster-wide event stream, over the events); sessions; the WebSocket frame relay (time
 * only); streams; the slate; pipelines (processes); media and the restart policy; channel
 * definitions; security (secrets, their masking, credentials); time; and, used by the settings, the
 * catalog and the cluster, what changes through the API are shared between nodes as ({@code sync}).
 * Log converters use only security.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.headend");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.headend.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("root").definedBy("dev.headend")
                .layer("web.api").definedBy("dev.headend.web.api..")
                .layer("web.iptv").definedBy("dev.headend.web.iptv..")
                .layer("web.live").definedBy("dev.headend.web.live..")
                .layer("web.events").definedBy("dev.headend.web.events..")
                .layer("web.relay").definedBy("dev.headend.web.relay..")
                .layer("web").definedBy("dev.headend.web")
                .layer("reload").definedBy("dev.headend.reload..")
                .layer("metrics").definedBy("dev.headend.metrics..")
                .layer("catalog").definedBy("dev.headend.catalog..")
                .layer("settings").definedBy("dev.headend.settings..")
                .layer("logging").definedBy("dev.headend.logging..")
                .layer("config").definedBy("dev.headend.config..")
                .layer("mirror").definedBy("dev.headend.mirror..")
                .layer("cluster").definedBy("dev.headend.cluster..")
                .layer("events").definedBy("dev.headend.events..")
                .layer("store").definedBy("dev.headend.store..")
                .layer("session").definedBy("dev.headend.session..")
                .layer("relay").definedBy("dev.headend.relay..")
                .layer("stream").definedBy("dev.headend.stream..")
                .layer("slate").definedBy("dev.headend.slate..")
                .layer("pipeline").definedBy("dev.headend.pipeline..")
                .layer("media").definedBy("dev.headend.media..")
                .layer("resilience").definedBy("dev.headend.resilience..")
                .layer("channel").definedBy("dev.headend.channel..")
                .layer("security").definedBy("dev.headend.security..")
                .layer("time").definedBy("dev.headend.time..")
                .layer("sync").definedBy("dev.headend.sync..")
                .whereLayer("root").mayNotBeAccessedByAnyLayer()
                .whereLayer("web.api").mayOnlyAccessLayers("web", "web.live", "reload", "metrics", "catalog", "settings",
                        "config", "slate", "session", "cluster", "stream", "pipeline", "resilience", "channel",
                        "security", "time", "sync")
                .whereLayer("web.iptv").mayOnlyAccessLayers("web", "web.live", "stream", "channel", "security",
                        "time")
                .whereLayer("web.live").mayOnlyAccessLayers("web", "session", "cluster", "stream", "media", "channel",
                        "security", "time")
                .whereLayer("web.events").mayOnlyAccessLayers("web", "events", "stream", "channel", "security",
                        "time")
                .whereLayer("web.relay").mayOnlyAccessLayers("web", "session", "relay", "security", "time")
                .whereLayer("web").mayOnlyAccessLayers("security", "time")
                .whereLayer("reload").mayOnlyAccessLayers("catalog", "settings", "config", "stream", "channel", "time")
                .whereLayer("settings").mayOnlyAccessLayers("config", "store", "time", "sync")
                .whereLayer("metrics").mayOnlyAccessLayers("session", "relay", "stream", "pipeline", "resilience",
                        "channel")
                .whereLayer("catalog").mayOnlyAccessLayers("config", "store", "stream", "channel", "time", "sync")
                .whereLayer("logging").mayOnlyAccessLayers("security")
                .whereLayer("config").mayOnlyAccessLayers("web", "events", "session", "relay", "cluster", "stream",
                        "pipeline", "resilience", "channel", "security", "time")
                .whereLayer("cluster").mayOnlyAccessLayers("events", "stream", "channel", "security", "time", "sync")
                .whereLayer("events").mayOnlyAccessLayers("store", "stream", "security", "time")
                .whereLayer("store").mayNotAccessAnyLayer()
                .whereLayer("mirror").mayOnlyAccessLayers("stream", "media")
                .whereLayer("session").mayOnlyAccessLayers("stream", "security", "time")
                .whereLayer("relay").mayOnlyAccessLayers("time")
                .whereLayer("stream").mayOnlyAccessLayers("slate", "pipeline", "media", "resilience", "channel",
                        "time")
                .whereLayer("slate").mayOnlyAccessLayers("pipeline", "media", "channel", "time")
                .whereLayer("pipeline").mayOnlyAccessLayers("channel", "security", "time")
                .whereLayer("media").mayOnlyAccessLayers("time")
                .whereLayer("resilience").mayOnlyAccessLayers("time")
                .whereLayer("channel").mayOnlyAccessLayers("security")
                .whereLayer("security").mayOnlyAccessLayers("time")
                .whereLayer("time").mayNotAccessAnyLayer()
                .whereLayer("sync").mayNotAccessAnyLayer()
                .check(MAIN);
    }

    @Test
    void theProductHoldsNoBenchmarkClass() {
        assertThat(MAIN.stream().map(c -> c.getPackageName()))
                .noneMatch(p -> p.startsWith("dev.headend.bench"));
    }
}
