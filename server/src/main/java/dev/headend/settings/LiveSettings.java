package dev.headend.settings;

import dev.headend.config.ConfigException;
import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import dev.headend.sync.ItemVersions;
import dev.headend.sync.SharedChanges;
import dev.headend.sync.SharedItem;
import dev.headend.time.TimeSource;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server settings of a running server: those it started with, those wanted now (the file's
 * and the environment's values under the values set through the API), and those in effect
 * ({@link #running()}: the wanted value of each live setting, the started value of the others).
 *
 * <p>Invariants: changes are serialized; a change is checked as a whole before anything happens,
 * then stored, then made the wanted settings, then handed to every listener, so a refused or
 * unstored change changes nothing; a setting that needs a restart never changes in effect while
 * the server runs ({@link #pendingRestart} tells when its wanted value differs).
 *
 * <p>In a cluster, a change through the API is published ({@link SharedChanges}) after it was
 * checked and before it is stored, under the same lock, and a change published by another node
 * is applied through {@link #adoptShared}, checked as a local one is, unless a newer change of the
 * same setting was applied here ({@link ItemVersions}); settings of the node itself ({@link
 * SettingsInput#nodeLocal}) are neither published nor adopted.
 */
public final class LiveSettings {
    private static final Logger log = LoggerFactory.getLogger(LiveSettings.class);

    private final SettingsStore store;
    private final TimeSource time;
    private final ServerSettings started;
    private final List<Consumer<Update>> listeners = new CopyOnWriteArrayList<>();
    private volatile ServerSettings wanted;
    private final ItemVersions versions = new ItemVersions();
    private volatile SharedChanges shared = SharedChanges.SINGLE_NODE;

    /**
     * What one change did.
     *
     * @param changed settings whose wanted value changed, in definition order
     * @param appliedLive the live ones among them: in effect now
     * @param pendingRestart every setting whose wanted value waits for the next start
     * @param running the settings in effect after the change
     */
    public record Update(List<Setting> changed, List<Setting> appliedLive, List<Setting> pendingRestart,
            ServerSettings running) {}

    private LiveSettings(SettingsStore store, TimeSource time, ServerSettings started) {
        this.store = store;
        this.time = time;
        this.started = started;
        this.wanted = started;
    }

    /**
     * The settings a server starts with: {@code fileAndEnvironment} under the values stored
     * through the API. A stored value that is no longer valid (a key no longer known, a range
     * that changed) is ignored with a warning and stays stored until it is set again or reset.
     *
     * @throws ConfigException when the stored values, each valid, contradict the others
     */
    public static LiveSettings start(ServerSettings fileAndEnvironment, SettingsStore store, TimeSource time) {
        Map<Setting, String> api = new EnumMap<>(Setting.class);
        store.load().forEach((key, value) -> {
            Optional<Setting> s = Setting.byKey(key).filter(SettingsInput::settable);
            if (s.isEmpty()) {
                log.warn("the store holds a value for '{}', which the API cannot set: ignored", key);
                return;
            }
            try {
                ServerSettings.parse(s.get(), value);
                api.put(s.get(), value);
            } catch (ConfigException e) {
                log.warn("a value set through the API is ignored: {}", e.getMessage());
            }
        });
        ServerSettings settings;
        try {
            settings = fileAndEnvironment.withApi(api);
        } catch (ConfigException e) {
            throw new ConfigException("the settings set through the API contradict the others: " + e.getMessage()
                    + "; reset one with DELETE /api/settings/{key} or remove its row from the store's settings table");
        }
        if (!api.isEmpty()) {
            log.info("{} setting(s) set through the API: {}", api.size(), api.keySet().stream().map(Setting::key)
                    .toList());
        }
        return new LiveSettings(store, time, settings);
    }

    /** Told of every applied change, in order, with the settings then in effect. */
    public void onChange(Consumer<Update> listener) {
        listeners.add(listener);
    }

    /** Publishes every later change through the API to the other nodes of the cluster. */
    public void share(SharedChanges changes) {
        this.shared = changes;
    }

    /** The settings the server started with. */
    public ServerSettings started() {
        return started;
    }

    /** The settings wanted now: file, environment and API values. */
    public ServerSettings wanted() {
        return wanted;
    }

    /** The settings in effect: wanted values of live settings, started values of the others. */
    public ServerSettings running() {
        return wanted.liveOnto(started);
    }

    /** Whether the setting needs a restart and its wanted value is not the one the server runs with. */
    public boolean pendingRestart(Setting s) {
        return s.applies() == Setting.Applies.RESTART_REQUIRED && !wanted.value(s).equals(started.value(s));
    }

    /**
     * Sets values through the API: checked all together, stored, then applied.
     *
     * @param values key to value, see {@link SettingsInput#check}
     * @throws InvalidSettingsException naming every refused key; nothing changed
     */
    public synchronized Update set(Map<String, ?> values) {
        Map<Setting, String> texts = SettingsInput.check(values, wanted);
        Map<Setting, String> api = new EnumMap<>(Setting.class);
        api.putAll(wanted.api());
        api.putAll(texts);
        ServerSettings next = wanted.withApi(api);
        publish(texts.entrySet().stream().filter(e -> !SettingsInput.nodeLocal(e.getKey()))
                .map(e -> SharedItem.set(SharedItem.Kind.SETTING, e.getKey().key(), e.getValue())).toList());
        store.put(texts, time.wallClock());
        for (Setting s : texts.keySet()) {
            log.info("setting {} set through the API: {} -> {} ({})", s.key(), wanted.text(s), next.text(s),
                    s.applies().label());
        }
        return adopt(next);
    }

    /** Forgets the API value of {@code s}: the file's, the environment's or the default applies again. */
    public synchronized Update reset(Setting s) {
        if (!wanted.api().containsKey(s)) {
            return adopt(wanted);
        }
        Map<Setting, String> api = new EnumMap<>(wanted.api());
        api.remove(s);
        ServerSettings next = wanted.withApi(api);
        if (!SettingsInput.nodeLocal(s)) {
            publish(List.of(SharedItem.removed(SharedItem.Kind.SETTING, s.key())));
        }
        store.remove(s.key());
        log.info("setting {} reset: {} (api) -> {} ({}, {})", s.key(), wanted.text(s), next.text(s),
                next.origin(s).label(), s.applies().label());
        return adopt(next);
    }

    /**
     * Applies a change another node published (or the latest values read again from the cluster):
     * the items newer than those applied here are checked together as values set through this
     * node's API are, stored and applied, without being published again. Items of other kinds,
     * of settings this node does not know or keeps to itself are skipped. A change refused here
     * (a value this version does not accept, a contradiction with this node's file) is logged
     * and counted as seen, so it is not tried again; nothing of it changed.
     *
     * @return what changed here; empty when nothing was newer or the change was refused
     */
    public synchronized Optional<Update> adoptShared(List<SharedItem.Versioned> offered) {
        List<SharedItem.Versioned> fresh = versions.newer(offered.stream()
                .filter(v -> v.item().kind() == SharedItem.Kind.SETTING).toList());
        if (fresh.isEmpty()) {
            return Optional.empty();
        }
        versions.applied(fresh);
        Map<String, Object> sets = new LinkedHashMap<>();
        Map<Setting, String> api = new EnumMap<>(Setting.class);
        api.putAll(wanted.api());
        for (SharedItem.Versioned v : fresh) {
            Optional<Setting> s = Setting.byKey(v.item().key())
                    .filter(x -> SettingsInput.settable(x) && !SettingsInput.nodeLocal(x));
            if (s.isEmpty()) {
                log.warn("a change of setting '{}' from another node is skipped: this node does not take it from"
                        + " the cluster", v.item().key());
                continue;
            }
            v.item().value().ifPresentOrElse(value -> sets.put(s.get().key(), value), () -> api.remove(s.get()));
        }
        try {
            ServerSettings base = wanted.withApi(api);
            Map<Setting, String> texts = SettingsInput.check(sets, base);
            api.putAll(texts);
            ServerSettings next = wanted.withApi(api);
            if (next.api().equals(wanted.api())) {
                return Optional.empty();
            }
            Map<Setting, String> puts = new EnumMap<>(Setting.class);
            texts.forEach((s, text) -> {
                if (!text.equals(wanted.api().get(s))) {
                    puts.put(s, text);
                }
            });
            List<String> removed = wanted.api().keySet().stream().filter(s -> !api.containsKey(s)).map(Setting::key)
                    .toList();
            store.change(puts, removed, time.wallClock());
            for (Setting s : wanted.differences(next)) {
                log.info("setting {} changed by another node of the cluster: {} -> {} ({})", s.key(), wanted.text(s),
                        next.text(s), s.applies().label());
            }
            return Optional.of(adopt(next));
        } catch (InvalidSettingsException | ConfigException e) {
            log.warn("a change of the settings from another node is not applied here, nothing changed: {}",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Tells the cluster of a change made here (under the lock, before it is stored). */
    private void publish(List<SharedItem> items) {
        if (!items.isEmpty()) {
            versions.applied(items, shared.publish(items));
        }
    }

    /**
     * The configuration file was read again: its values (and the environment's) apply under the
     * values set through the API.
     *
     * @throws ConfigException when they contradict the values set through the API; nothing changed
     */
    public synchronized Update reloaded(ServerSettings fileAndEnvironment) {
        return adopt(fileAndEnvironment.withApi(wanted.api()));
    }

    private Update adopt(ServerSettings next) {
        ServerSettings before = running();
        List<Setting> changed = wanted.differences(next);
        wanted = next;
        ServerSettings after = running();
        List<Setting> live = before.differences(after);
        List<Setting> pending = Arrays.stream(Setting.values()).filter(this::pendingRestart).toList();
        Update update = new Update(changed, live, pending, after);
        if (!changed.isEmpty()) { // no wanted value changed: nothing in effect changed either
            listeners.forEach(l -> l.accept(update));
        }
        return update;
    }
}
