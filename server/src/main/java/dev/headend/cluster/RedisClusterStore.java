package dev.headend.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import dev.headend.sync.SharedItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cluster's state in Redis, through one Lettuce connection. Keys (all under {@code
 * headend:}): {@code lease:{channel}} holds {@code node:token} with a PX expiry; {@code
 * fence:{channel}} is the channel's fencing counter; {@code node:{id}} is a node's report (a hash
 * with a PX expiry) and {@code nodes} the set of ids that published one; {@code
 * cluster-secret} the shared secret; {@code config-seq} numbers the changes made through the
 * nodes' APIs, {@code config} (a hash) keeps the latest value of each item they changed and
 * {@code changes} is the pub/sub channel they are announced on ({@link #publishChange});
 * {@code handover:{channel}} (a hash) is a draining node's offer of a channel and {@code
 * handover-to:{node}} the set of channels offered to a node ({@link #offerHandover}). A command that is not answered within {@link
 * #COMMAND_TIMEOUT}, or is sent while the connection is down (commands are refused then, not
 * queued), fails with {@link ClusterStoreException}; the connection is reconnected in the
 * background (at least every {@link #RECONNECT_AT_MOST}), or made anew by the next command when
 * the first one never succeeded.
 */
public final class RedisClusterStore implements ClusterStore {
    /** How long a command may take before the store counts as unreachable. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final String PREFIX = "headend:";
    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then"
            + " return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then"
            + " return redis.call('del', KEYS[1]) else return 0 end";

    private static final String CHANGES = PREFIX + "changes";
    private static final String PUBLISH_CHANGE = "local seq = redis.call('incr', KEYS[1])"
            + " local floor = tonumber(ARGV[3])"
            + " if seq < floor then redis.call('set', KEYS[1], floor) seq = floor end"
            + " local items = cjson.decode(ARGV[2])"
            + " for _, item in ipairs(items) do"
            + "  redis.call('hset', KEYS[2], item.kind .. ':' .. item.key, cjson.encode({seq = seq, node = ARGV[1],"
            + "   kind = item.kind, key = item.key, value = item.value}))"
            + " end"
            + " redis.call('publish', KEYS[3], cjson.encode({seq = seq, node = ARGV[1], items = items}))"
            + " return seq";

    private static final String HANDOVER_STATE = "if redis.call('hget', KEYS[1], 'to') == ARGV[1] then"
            + " return redis.call('hset', KEYS[1], 'state', ARGV[2]) else return -1 end";

    /** The longest wait between two reconnection attempts, so a node notices a returning Redis soon. */
    private static final Duration RECONNECT_AT_MOST = Duration.ofSeconds(2);

    private final ClientResources resources;
    private final RedisClient client;
    private final String address;
    private StatefulRedisConnection<String, String> connection;
    /** Guards {@link #changes}: its connection is made without holding the command connection's lock. */
    private final Object subscribing = new Object();
    private volatile StatefulRedisPubSubConnection<String, String> changes;

    /** The store at {@code address}; nothing connects until the first command. */
    public static ClusterStore open(RedisAddress address) {
        return new RedisClusterStore(address);
    }

    private RedisClusterStore(RedisAddress address) {
        RedisURI.Builder uri = RedisURI.builder().withHost(address.host()).withPort(address.port())
                .withDatabase(address.database()).withSsl(address.tls()).withTimeout(COMMAND_TIMEOUT);
        address.password().ifPresent(p -> {
            if (address.user().isPresent()) {
                uri.withAuthentication(address.user().get(), p.toCharArray());
            } else {
                uri.withPassword(p.toCharArray());
            }
        });
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RECONNECT_AT_MOST, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri.build());
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT)).build());
        this.address = address.toString();
    }

    private interface Command<T> {
        T run(RedisCommands<String, String> redis);
    }

    private <T> T call(Command<T> command) throws ClusterStoreException {
        try {
            return command.run(commands());
        } catch (RedisException | IllegalStateException e) {
            throw new ClusterStoreException("Redis at " + address + " did not answer: " + e.getMessage(), e);
        }
    }

    private synchronized RedisCommands<String, String> commands() {
        if (connection == null) {
            connection = client.connect();
            connection.setTimeout(COMMAND_TIMEOUT);
        }
        return connection.sync();
    }

    @Override
    public Optional<Holder> acquire(String channelId, String node, Duration ttl) throws ClusterStoreException {
        return call(redis -> {
            long token = redis.incr(PREFIX + "fence:" + channelId);
            Holder h = new Holder(node, token);
            String ok = redis.set(PREFIX + "lease:" + channelId, h.value(), SetArgs.Builder.nx().px(ttl.toMillis()));
            return "OK".equals(ok) ? Optional.of(h) : Optional.empty();
        });
    }

    @Override
    public Outcome renew(String channelId, String value, Duration ttl) throws ClusterStoreException {
        Long n = call(redis -> redis.eval(RENEW, ScriptOutputType.INTEGER, new String[] {PREFIX + "lease:" + channelId},
                value, Long.toString(ttl.toMillis())));
        return n != null && n == 1 ? Outcome.DONE : Outcome.NOT_HOLDER;
    }

    @Override
    public Outcome release(String channelId, String value) throws ClusterStoreException {
        Long n = call(redis -> redis.eval(RELEASE, ScriptOutputType.INTEGER,
                new String[] {PREFIX + "lease:" + channelId}, value));
        return n != null && n == 1 ? Outcome.DONE : Outcome.NOT_HOLDER;
    }

    @Override
    public Optional<Holder> holder(String channelId) throws ClusterStoreException {
        return Holder.parse(call(redis -> redis.get(PREFIX + "lease:" + channelId)));
    }

    @Override
    public List<LeaseEntry> leases() throws ClusterStoreException {
        return call(redis -> {
            List<LeaseEntry> out = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor,
                        ScanArgs.Builder.matches(PREFIX + "lease:*").limit(500));
                for (String key : page.getKeys()) {
                    Optional<Holder> h = Holder.parse(redis.get(key));
                    long left = redis.pttl(key);
                    h.filter(x -> left > 0).ifPresent(x -> out.add(new LeaseEntry(
                            key.substring((PREFIX + "lease:").length()), x, Duration.ofMillis(left))));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return out;
        });
    }

    @Override
    public void publish(NodeReport r, Duration expiry) throws ClusterStoreException {
        call(redis -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("url", r.url());
            fields.put("state", r.state());
            fields.put("pipelines", Integer.toString(r.pipelines()));
            fields.put("viewers", Integer.toString(r.viewers()));
            fields.put("cpu_load", Double.toString(r.cpuLoad()));
            fields.put("last_seen", Long.toString(r.lastSeenMillis()));
            String key = PREFIX + "node:" + r.id();
            redis.hset(key, fields);
            redis.pexpire(key, expiry.toMillis());
            redis.sadd(PREFIX + "nodes", r.id());
            return null;
        });
    }

    @Override
    public void withdraw(String node) throws ClusterStoreException {
        call(redis -> {
            redis.del(PREFIX + "node:" + node);
            redis.srem(PREFIX + "nodes", node);
            return null;
        });
    }

    @Override
    public List<NodeReport> nodes() throws ClusterStoreException {
        return call(redis -> {
            List<NodeReport> out = new ArrayList<>();
            for (String id : redis.smembers(PREFIX + "nodes")) {
                Map<String, String> f = redis.hgetall(PREFIX + "node:" + id);
                if (f.isEmpty()) {
                    redis.srem(PREFIX + "nodes", id); // its report expired: the node is gone
                    continue;
                }
                try {
                    out.add(new NodeReport(id, f.getOrDefault("url", ""), f.getOrDefault("state", ""),
                            Integer.parseInt(f.getOrDefault("pipelines", "0")),
                            Integer.parseInt(f.getOrDefault("viewers", "0")),
                            Double.parseDouble(f.getOrDefault("cpu_load", "-1")),
                            Long.parseLong(f.getOrDefault("last_seen", "0"))));
                } catch (NumberFormatException e) {
                    // a report this version cannot read is left out of placement
                }
            }
            return out;
        });
    }

    @Override
    public String sharedSecret(String candidate) throws ClusterStoreException {
        return call(redis -> {
            redis.set(PREFIX + "cluster-secret", candidate, SetArgs.Builder.nx());
            return redis.get(PREFIX + "cluster-secret");
        });
    }

    @Override
    public long publishChange(String node, List<SharedItem> items, long floor) throws ClusterStoreException {
        Long seq = call(redis -> redis.eval(PUBLISH_CHANGE, ScriptOutputType.INTEGER,
                new String[] {PREFIX + "config-seq", PREFIX + "config", CHANGES}, node,
                SharedChange.itemsJson(items), Long.toString(floor)));
        if (seq == null) {
            throw new ClusterStoreException("Redis at " + address + " gave no number to a change", null);
        }
        return seq;
    }

    @Override
    public long changeSeq() throws ClusterStoreException {
        String seq = call(redis -> redis.get(PREFIX + "config-seq"));
        try {
            return seq == null ? 0 : Long.parseLong(seq);
        } catch (NumberFormatException e) {
            throw new ClusterStoreException("Redis at " + address + " holds no number in config-seq", e);
        }
    }

    @Override
    public List<SharedItem.Versioned> sharedItems() throws ClusterStoreException {
        Map<String, String> all = call(redis -> redis.hgetall(PREFIX + "config"));
        List<SharedItem.Versioned> out = new ArrayList<>();
        all.values().forEach(v -> SharedChange.parseState(v).ifPresent(out::add));
        return out;
    }

    @Override
    public void offerHandover(String channelId, String from, String to, Optional<LocalStreams.Numbering> numbering,
            Duration expiry) throws ClusterStoreException {
        call(redis -> {
            String key = PREFIX + "handover:" + channelId;
            Map<String, String> fields = new LinkedHashMap<>(Map.of("from", from, "to", to, "state",
                    HandoverOffer.OFFERED));
            numbering.ifPresent(n -> {
                fields.put("next_sequence", Long.toString(n.nextSequence()));
                fields.put("discontinuity_sequence", Long.toString(n.discontinuitySequence()));
            });
            redis.del(key);
            redis.hset(key, fields);
            redis.pexpire(key, expiry.toMillis());
            redis.sadd(PREFIX + "handover-to:" + to, channelId);
            redis.pexpire(PREFIX + "handover-to:" + to, expiry.toMillis());
            return null;
        });
    }

    @Override
    public List<HandoverOffer> handoversTo(String node) throws ClusterStoreException {
        return call(redis -> {
            List<HandoverOffer> out = new ArrayList<>();
            for (String channelId : redis.smembers(PREFIX + "handover-to:" + node)) {
                Optional<HandoverOffer> offer = offer(channelId, redis.hgetall(PREFIX + "handover:" + channelId));
                if (offer.filter(o -> o.to().equals(node)).isPresent()) {
                    out.add(offer.get());
                } else {
                    redis.srem(PREFIX + "handover-to:" + node, channelId);
                }
            }
            return out;
        });
    }

    @Override
    public Optional<HandoverOffer> handover(String channelId) throws ClusterStoreException {
        return offer(channelId, call(redis -> redis.hgetall(PREFIX + "handover:" + channelId)));
    }

    private static Optional<HandoverOffer> offer(String channelId, Map<String, String> fields) {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Optional<LocalStreams.Numbering> numbering = Optional.empty();
        try {
            if (fields.containsKey("next_sequence")) {
                numbering = Optional.of(new LocalStreams.Numbering(Long.parseLong(fields.get("next_sequence")),
                        Long.parseLong(fields.getOrDefault("discontinuity_sequence", "0"))));
            }
        } catch (NumberFormatException e) {
            // an offer without a readable numbering: the taker numbers as it would anyway
        }
        return Optional.of(new HandoverOffer(channelId, fields.getOrDefault("from", ""), fields.getOrDefault("to", ""),
                fields.getOrDefault("state", ""), numbering));
    }

    @Override
    public void handoverState(String channelId, String to, String state) throws ClusterStoreException {
        call(redis -> redis.eval(HANDOVER_STATE, ScriptOutputType.INTEGER,
                new String[] {PREFIX + "handover:" + channelId}, to, state));
    }

    @Override
    public void endHandover(String channelId) throws ClusterStoreException {
        call(redis -> {
            String key = PREFIX + "handover:" + channelId;
            String to = redis.hget(key, "to");
            redis.del(key);
            if (to != null) {
                redis.srem(PREFIX + "handover-to:" + to, channelId);
            }
            return null;
        });
    }

    @Override
    public void subscribeChanges(Consumer<SharedChange> listener) throws ClusterStoreException {
        synchronized (subscribing) {
            subscribe(listener);
        }
    }

    private void subscribe(Consumer<SharedChange> listener) throws ClusterStoreException {
        if (changes != null) {
            return;
        }
        try {
            StatefulRedisPubSubConnection<String, String> c = client.connectPubSub();
            c.setTimeout(COMMAND_TIMEOUT);
            c.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    SharedChange.parse(message).ifPresent(listener);
                }
            });
            try {
                c.sync().subscribe(CHANGES);
            } catch (RedisException e) {
                c.close();
                throw e;
            }
            changes = c;
        } catch (RedisException | IllegalStateException e) {
            throw new ClusterStoreException("Redis at " + address + " did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        synchronized (subscribing) {
            if (changes != null) {
                changes.close();
            }
        }
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
