package dev.headend.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.config.ChannelDefinitions;
import dev.headend.config.ConfigException;
import dev.headend.config.HeadendConfig;
import dev.headend.stream.Reconfiguration;
import dev.headend.stream.StreamManager;
import dev.headend.sync.ItemVersions;
import dev.headend.sync.SharedChanges;
import dev.headend.sync.SharedItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that changes which channels exist: the configuration file's channels, then the
 * channels created through the API (in the order they were created). Ephemeral template
 * channels are the streams' own ({@link StreamManager#channels()} lists them too).
 *
 * <p>Invariants: changes are serialized; a change is validated as a file's channel entry is
 * ({@link ChannelDefinitions}), checked against the version it was based on, stored, and only
 * then applied to the streams ({@link StreamManager#reconfigure}): a refused change changes
 * nothing, an accepted one survives a restart. Channels of the file are never changed here; an
 * id the file defines cannot be created here, and when a reload brings into the file an id the
 * API created, the file's definition is served (the stored one is kept, hidden, and a warning
 * logged). A channel's ETag is strong and changes with its definition (and, for an API channel,
 * with every accepted change).
 *
 * <p>In a cluster, every accepted change of an API channel is published ({@link SharedChanges})
 * once validated and before it is stored, under the same lock (a change that cannot be published
 * is refused and changes nothing), and a change another node published is applied through {@link
 * #adoptShared}: validated and applied as a local change is (hot swap of a running stream), not
 * published again, and never over a newer change of the same channel ({@link ItemVersions}). The
 * configuration file's channels are each node's own and never published.
 */
public final class ChannelRegistry {
    private static final Logger log = LoggerFactory.getLogger(ChannelRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A channel of the catalog with where it comes from (and, for an API channel, what is stored).
     * Its entity tag is worked out only when asked for: a listing needs none.
     */
    public record Entry(Channel channel, ChannelOrigin origin, Optional<StoredChannel> stored) {
        /** The strong entity tag (quoted); it changes with the definition and every accepted change. */
        public String etag() {
            return stored.map(ChannelRegistry::etag).orElseGet(() -> tag(origin.label() + "\n" + channel));
        }
    }

    private record ApiChannel(StoredChannel stored, Channel channel) {}

    private final ChannelStore store;
    private final StreamManager streams;
    private final List<Consumer<ChannelCatalog>> listeners = new CopyOnWriteArrayList<>();
    private List<Channel> fileChannels;
    private Set<String> fileIds;
    private ChannelDefinitions definitions;
    private final Map<String, ApiChannel> api = new LinkedHashMap<>();
    private final ItemVersions versions = new ItemVersions();
    private volatile SharedChanges shared = SharedChanges.SINGLE_NODE;

    private ChannelRegistry(ChannelStore store, HeadendConfig config,
            Function<ChannelCatalog, StreamManager> streamsFor) {
        this.store = store;
        this.definitions = config.definitions();
        file(config.channels());
        for (StoredChannel s : store.all()) {
            try {
                api.put(s.id(), new ApiChannel(s, definitions.parse(JSON.readTree(s.definition()))));
            } catch (ConfigException | JsonProcessingException e) {
                log.warn("channel {} created through the API is not served: its stored definition is no longer"
                        + " valid: {}", s.id(), e.getMessage());
            }
        }
        this.streams = streamsFor.apply(catalog());
    }

    /**
     * Reads the stored API channels and makes the streams over the file's channels and them.
     *
     * @param streamsFor makes the stream manager for the initial catalog
     */
    public static ChannelRegistry open(HeadendConfig config, ChannelStore store,
            Function<ChannelCatalog, StreamManager> streamsFor) {
        return new ChannelRegistry(store, config, streamsFor);
    }

    public StreamManager streams() {
        return streams;
    }

    /** Tells {@code listener} of every new catalog after the streams adopted it. */
    public void listen(Consumer<ChannelCatalog> listener) {
        listeners.add(listener);
    }

    /** Publishes every later change of an API channel to the other nodes of the cluster. */
    public void share(SharedChanges changes) {
        this.shared = changes;
    }

    /** Every listed channel (ephemeral ones included), in catalog order. */
    public synchronized List<Entry> all() {
        return streams.channels().all().stream().map(this::entry).toList();
    }

    public synchronized Optional<Entry> find(String id) {
        return streams.channels().find(id).map(this::entry);
    }

    /**
     * Creates a channel from a definition (a JSON object with an {@code id}).
     *
     * @throws ConfigException when the definition is invalid
     * @throws CatalogException {@code EXISTS} when a channel with its id exists
     */
    public synchronized Entry create(JsonNode definition) {
        Channel channel = definitions.parse(definition);
        String id = channel.id();
        if (fileIds.contains(id)) {
            throw new CatalogException(CatalogException.Kind.EXISTS, "channel " + id + " is defined in the"
                    + " configuration file; choose another id");
        }
        if (api.containsKey(id)) {
            throw new CatalogException(CatalogException.Kind.EXISTS, "channel " + id + " exists; change it with"
                    + " PUT /api/channels/" + id);
        }
        StoredChannel stored = new StoredChannel(id, text(definition), 1);
        publish(List.of(shared(stored)));
        store.insertAll(List.of(stored));
        api.put(id, new ApiChannel(stored, channel));
        apply(StreamManager.Removal.FROM_CONFIGURATION);
        log.info("channel {} created through the API", id);
        return entry(channel);
    }

    /**
     * Creates the channels of an import: each candidate is validated as {@link #create} does and
     * refused when its id is the file's, an API channel's, or an earlier line's. The accepted
     * ones are stored in one transaction and applied to the streams once, unless this is a dry
     * run, none was accepted, or a line was refused and {@code partial} is false (all or nothing).
     */
    public synchronized ChannelImport.Result importChannels(List<ChannelImport.Line> lines, boolean partial,
            boolean dryRun) {
        List<ChannelImport.Created> created = new ArrayList<>();
        List<ChannelImport.Rejected> rejected = new ArrayList<>();
        List<ChannelImport.Candidate> accepted = new ArrayList<>();
        Map<String, Integer> firstLine = HashMap.newHashMap(lines.size());
        for (ChannelImport.Line line : lines) {
            switch (line) {
                case ChannelImport.Rejected r -> rejected.add(r);
                case ChannelImport.Candidate c -> {
                    Optional<ChannelImport.Rejected> refusal = clash(c, firstLine);
                    if (refusal.isPresent()) {
                        rejected.add(refusal.get());
                        continue;
                    }
                    firstLine.put(c.id(), c.line());
                    try {
                        created.add(new ChannelImport.Created(c.line(), definitions.parse(c.definition())));
                        accepted.add(c);
                    } catch (ConfigException e) {
                        rejected.add(new ChannelImport.Rejected(c.line(), c.id(), "invalid_channel", e.getMessage()));
                    }
                }
            }
        }
        rejected.sort(Comparator.comparingInt(ChannelImport.Rejected::line));
        boolean store = !dryRun && !created.isEmpty() && (partial || rejected.isEmpty());
        if (store) {
            List<StoredChannel> stored = accepted.stream()
                    .map(c -> new StoredChannel(c.id(), text(c.definition()), 1)).toList();
            publish(stored.stream().map(ChannelRegistry::shared).toList());
            this.store.insertAll(stored);
            for (int i = 0; i < stored.size(); i++) {
                api.put(stored.get(i).id(), new ApiChannel(stored.get(i), created.get(i).channel()));
            }
            apply(StreamManager.Removal.FROM_CONFIGURATION);
            log.info("{} channel(s) imported through the API ({} line(s) refused)", created.size(), rejected.size());
        }
        return new ChannelImport.Result(List.copyOf(created), List.copyOf(rejected), store);
    }

    /** Why {@code c} cannot be created beside the catalog and the lines before it, if it cannot. */
    private Optional<ChannelImport.Rejected> clash(ChannelImport.Candidate c, Map<String, Integer> firstLine) {
        String id = c.id();
        if (fileIds.contains(id)) {
            return Optional.of(new ChannelImport.Rejected(c.line(), id, "channel_exists", "channel " + id
                    + " is defined in the configuration file"));
        }
        if (api.containsKey(id)) {
            return Optional.of(new ChannelImport.Rejected(c.line(), id, "channel_exists", "channel " + id
                    + " exists (created through the API)"));
        }
        Integer first = firstLine.get(id);
        if (first != null) {
            return Optional.of(new ChannelImport.Rejected(c.line(), id, "duplicate_id", "the entry of line "
                    + first + " has the same channel id " + id));
        }
        return Optional.empty();
    }

    /**
     * Replaces an API channel's definition (its id given by {@code id}); a running stream adopts it
     * (hot swap when its pipeline must change).
     *
     * @param ifMatch the ETag the change is based on ({@code *}: any); empty: no check
     * @throws ConfigException when the definition is invalid
     * @throws CatalogException {@code NOT_FOUND}, {@code READ_ONLY} or {@code STALE}
     */
    public synchronized Entry update(String id, ObjectNode definition, Optional<String> ifMatch) {
        ApiChannel current = writable(id, ifMatch);
        ObjectNode withId = definition.deepCopy();
        withId.put("id", id);
        Channel channel = definitions.parse(withId);
        StoredChannel stored = new StoredChannel(id, text(withId), current.stored().version() + 1);
        publish(List.of(shared(stored)));
        store.update(stored);
        api.put(id, new ApiChannel(stored, channel));
        apply(StreamManager.Removal.FROM_CONFIGURATION);
        log.info("channel {} changed through the API (version {})", id, stored.version());
        return entry(channel);
    }

    /**
     * Deletes an API channel; its stream, if running, stops with reason {@code deleted}.
     *
     * @throws CatalogException {@code NOT_FOUND}, {@code READ_ONLY} or {@code STALE}
     */
    public synchronized void delete(String id, Optional<String> ifMatch) {
        writable(id, ifMatch);
        publish(List.of(SharedItem.removed(SharedItem.Kind.CHANNEL, id)));
        store.delete(id);
        api.remove(id);
        apply(StreamManager.Removal.DELETED);
        log.info("channel {} deleted through the API", id);
    }

    /**
     * Applies a change another node published (or the latest state read again from the cluster):
     * each channel item newer than the one applied here is validated as a created channel is,
     * stored and put in the catalog, or deleted; the streams adopt the new catalog once. An item
     * that does not validate here is logged (its id only: a definition may hold a password) and
     * counted as seen.
     *
     * @return what the streams did; empty when nothing changed here
     */
    public synchronized Optional<Reconfiguration> adoptShared(List<SharedItem.Versioned> offered) {
        List<SharedItem.Versioned> fresh = versions.newer(offered.stream()
                .filter(v -> v.item().kind() == SharedItem.Kind.CHANNEL).toList());
        versions.applied(fresh);
        boolean changed = false;
        boolean deleted = false;
        for (SharedItem.Versioned v : fresh) {
            String id = v.item().key();
            if (v.item().value().isEmpty()) {
                if (api.remove(id) != null) {
                    store.delete(id);
                    deleted = true;
                    log.info("channel {} deleted by another node of the cluster", id);
                }
                continue;
            }
            StoredChannel stored;
            Channel channel;
            try {
                stored = stored(id, v.item().value().get());
                channel = definitions.parse(JSON.readTree(stored.definition()));
            } catch (ConfigException | JsonProcessingException | IllegalArgumentException e) {
                log.warn("channel {} as changed by another node is not valid here and is not applied (change {})",
                        id, v.seq());
                continue;
            }
            ApiChannel current = api.get(id);
            if (current != null && current.stored().equals(stored)) {
                continue;
            }
            if (current == null) {
                store.insertAll(List.of(stored));
            } else {
                store.update(stored);
            }
            api.put(id, new ApiChannel(stored, channel));
            changed = true;
            log.info("channel {} {} by another node of the cluster (version {})", id,
                    current == null ? "created" : "changed", stored.version());
        }
        if (!changed && !deleted) {
            return Optional.empty();
        }
        return Optional.of(apply(deleted ? StreamManager.Removal.DELETED : StreamManager.Removal.FROM_CONFIGURATION));
    }

    /** Tells the cluster of a change made here (under the lock, before it is stored). */
    private void publish(List<SharedItem> items) {
        versions.applied(items, shared.publish(items));
    }

    /** A stored channel as the cluster carries it: {@code {"version": n, "definition": {...}}}. */
    private static SharedItem shared(StoredChannel s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", s.version());
        try {
            node.set("definition", JSON.readTree(s.definition()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored definition was written as JSON", e);
        }
        return SharedItem.set(SharedItem.Kind.CHANNEL, s.id(), text(node));
    }

    /** The stored channel {@link #shared} carries. */
    private static StoredChannel stored(String id, String shared) throws JsonProcessingException {
        JsonNode node = JSON.readTree(shared);
        JsonNode definition = node.path("definition");
        if (!definition.isObject() || !node.path("version").canConvertToLong()) {
            throw new IllegalArgumentException("not a shared channel");
        }
        ObjectNode withId = ((ObjectNode) definition).deepCopy();
        withId.put("id", id);
        return new StoredChannel(id, text(withId), node.path("version").asLong());
    }

    /**
     * Adopts a reloaded configuration file: its channels, templates and channel defaults (the API
     * channels are read again with them; one that no longer reads keeps its last definition).
     */
    public synchronized Reconfiguration reload(HeadendConfig config) {
        definitions = config.definitions();
        file(config.channels());
        for (Map.Entry<String, ApiChannel> e : api.entrySet()) {
            StoredChannel s = e.getValue().stored();
            try {
                e.setValue(new ApiChannel(s, definitions.parse(JSON.readTree(s.definition()))));
            } catch (ConfigException | JsonProcessingException ex) {
                log.warn("channel {} created through the API keeps its definition: with the reloaded"
                        + " configuration it reads as invalid: {}", s.id(), ex.getMessage());
            }
        }
        streams.templates(config.templates());
        return apply(StreamManager.Removal.FROM_CONFIGURATION);
    }

    private void file(List<Channel> channels) {
        fileChannels = List.copyOf(channels);
        fileIds = channels.stream().map(Channel::id).collect(Collectors.toUnmodifiableSet());
    }

    /** The API channel {@code id}, if the change may go ahead. */
    private ApiChannel writable(String id, Optional<String> ifMatch) {
        if (fileIds.contains(id)) {
            throw new CatalogException(CatalogException.Kind.READ_ONLY, "channel " + id + " comes from the"
                    + " configuration file: change it there (then POST /api/config/reload)");
        }
        ApiChannel current = api.get(id);
        if (current == null) {
            if (streams.ephemeral(id)) {
                throw new CatalogException(CatalogException.Kind.READ_ONLY, "channel " + id + " was made from a"
                        + " template on demand and goes away when its stream stops; create a channel with"
                        + " POST /api/channels to keep it");
            }
            throw new CatalogException(CatalogException.Kind.NOT_FOUND, "no channel with id '" + id + "'");
        }
        String etag = etag(current.stored());
        if (ifMatch.isPresent() && !matches(ifMatch.get(), etag)) {
            throw new CatalogException(CatalogException.Kind.STALE, "channel " + id + " changed since "
                    + ifMatch.get().trim() + " (it is " + etag + " now); GET it again and redo the change");
        }
        return current;
    }

    /** If-Match: {@code *} or a comma-separated list of strong ETags (a weak one never matches). */
    private static boolean matches(String ifMatch, String etag) {
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Applies the catalog (file, then API channels the file does not define) and tells the listeners. */
    private Reconfiguration apply(StreamManager.Removal removal) {
        api.keySet().stream().filter(fileIds::contains).forEach(id -> log.warn("channel {} is defined in the"
                + " configuration file and was created through the API: the file's definition is served", id));
        ChannelCatalog catalog = catalog();
        Reconfiguration r = streams.reconfigure(catalog, removal);
        listeners.forEach(l -> l.accept(catalog));
        return r;
    }

    private ChannelCatalog catalog() {
        List<Channel> all = new ArrayList<>(fileChannels);
        api.values().stream().map(ApiChannel::channel).filter(c -> !fileIds.contains(c.id())).forEach(all::add);
        return new ChannelCatalog(all);
    }

    private Entry entry(Channel c) {
        if (fileIds.contains(c.id())) {
            return new Entry(c, ChannelOrigin.FILE, Optional.empty());
        }
        ApiChannel a = api.get(c.id());
        if (a != null) {
            return new Entry(c, ChannelOrigin.API, Optional.of(a.stored()));
        }
        return new Entry(c, ChannelOrigin.TEMPLATE, Optional.empty());
    }

    private static String etag(StoredChannel s) {
        return tag("api\n" + s.version() + "\n" + s.definition());
    }

    /** A strong ETag: part of the SHA-256 of {@code text}, quoted. */
    private static String tag(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String text(JsonNode definition) {
        try {
            return JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }
}
