package dev.headend.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
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
 * cluster-secret} the shared secret; {@code playlist:{channel}} a channel's playlist state (a hash,
 * see {@link #playlist}; its expiry is set by each write); {@code sessions:{channel}} is the
 * channel's cluster-wide tally of viewer sessions (a sorted set of {@code {node}/{session id}}
 * scored by expiry, see {@link #reserveSession}); {@code events} the cluster's event stream and
 * {@code events-appended:{node}} the sequence of the last event a node appended to it; {@code
 * config-seq} numbers the changes made through the nodes' APIs, {@code config} (a hash) keeps the
 * latest value of each item they changed and {@code changes} is the pub/sub channel they are
 * announced on ({@link #publishChange}); {@code handover:{channel}} (a hash) is a draining node's
 * offer of a channel and {@code handover-to:{node}} the set of channels offered to a node ({@link
 * #offerHandover}). A command that is not answered within {@link #COMMAND_TIMEOUT}, or is sent while the connection is down (commands are refused then, not
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

    /**
     * Records a playlist state when the lease (KEYS[1]) holds ARGV[1]: the sequence numbers never
     * go down, the recent segments (ARGV[6]) are kept when none are given, and the write is
     * stamped with Redis's own clock.
     */
    private static final String RECORD_PLAYLIST = "if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end"
            + " local function atLeast(field, value)"
            + "  local kept = redis.call('hget', KEYS[2], field)"
            + "  if kept and tonumber(kept) and tonumber(kept) > tonumber(value) then return kept end"
            + "  return value"
            + " end"
            + " local t = redis.call('time')"
            + " local ms = string.format('%d', t[1] * 1000 + math.floor(t[2] / 1000))"
            + " redis.call('hset', KEYS[2], 'node', ARGV[2], 'token', ARGV[3],"
            + "  'next_sequence', atLeast('next_sequence', ARGV[4]),"
            + "  'discontinuity_sequence', atLeast('discontinuity_sequence', ARGV[5]),"
            + "  'live', ARGV[7], 'written_ms', ms)"
            + " if ARGV[6] ~= '' then redis.call('hset', KEYS[2], 'segments', ARGV[6]) end"
            + " redis.call('pexpire', KEYS[2], ARGV[8])"
            + " return 1";

    /** Redis's clock in milliseconds, in a script. */
    private static final String NOW = "local t = redis.call('time') local now = t[1] * 1000 + math.floor(t[2] / 1000) ";
    private static final String RESERVE_SESSION = NOW
            + "redis.call('zremrangebyscore', KEYS[1], '-inf', now)"
            + " local ttl = tonumber(ARGV[3])"
            + " if not redis.call('zscore', KEYS[1], ARGV[1]) then"
            + "   local limit = tonumber(ARGV[2])"
            + "   if limit > 0 and redis.call('zcard', KEYS[1]) >= limit then return 0 end"
            + " end"
            + " redis.call('zadd', KEYS[1], now + ttl, ARGV[1])"
            + " redis.call('pexpire', KEYS[1], ttl)"
            + " return 1";
    /** Members per ZADD of {@link #RENEW_SESSIONS} (Lua's unpack has a bounded stack). */
    static final int ZADD_CHUNK = 500;
    /**
     * Renews the members ARGV[2..] with one ZADD per {@link #ZADD_CHUNK} of them (Redis counts a
     * script's every call: a ZADD per member made the renewal of 1,000 viewers every 2 s cost 500
     * commands a second).
     */
    private static final String RENEW_SESSIONS = NOW
            + "local ttl = tonumber(ARGV[1]) local score = now + ttl"
            + " for i = 2, #ARGV, " + ZADD_CHUNK + " do"
            + "  local args = {}"
            + "  for j = i, math.min(i + " + (ZADD_CHUNK - 1) + ", #ARGV) do"
            + "   args[#args + 1] = score args[#args + 1] = ARGV[j]"
            + "  end"
            + "  redis.call('zadd', KEYS[1], unpack(args))"
            + " end"
            + " redis.call('zremrangebyscore', KEYS[1], '-inf', now)"
            + " redis.call('pexpire', KEYS[1], ttl)"
            + " return 1";
    private static final String COUNT_SESSIONS = NOW
            + "local out = {} for i = 1, #KEYS do out[i] = redis.call('zcount', KEYS[i], '(' .. now, '+inf') end"
            + " return out";

    private static final String EVENTS = PREFIX + "events";
    /** Appends the events above the node's last appended sequence, and keeps the last; see {@link #appendEvents}. */
    private static final String APPEND_EVENTS = "local last = tonumber(redis.call('get', KEYS[2]) or '0')"
            + " local lastText = nil local added = 0"
            + " for i = 3, #ARGV, 4 do"
            + "  if tonumber(ARGV[i]) > last then"
            + "   redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'node', ARGV[1], 'sequence', ARGV[i],"
            + "    'type', ARGV[i + 1], 'channel_id', ARGV[i + 2], 'event', ARGV[i + 3])"
            + "   last = tonumber(ARGV[i]) lastText = ARGV[i] added = added + 1"
            + "  end"
            + " end"
            + " if lastText then redis.call('set', KEYS[2], lastText) end"
            + " return added";
    /** Whether the stream holds ARGV[1] (always, for 0-0), and up to ARGV[2] entries after it: one reading. */
    private static final String EVENTS_AFTER = "local kept = 1"
            + " if ARGV[1] ~= '0-0' then kept = #redis.call('xrange', KEYS[1], ARGV[1], ARGV[1]) end"
            + " return {kept, redis.call('xrange', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}";

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
    public Optional<StoredPlaylist> playlist(String channelId) throws ClusterStoreException {
        return call(redis -> {
            Map<String, String> f = redis.hgetall(PREFIX + "playlist:" + channelId);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            List<String> time = redis.time();
            try {
                long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
                PlaylistState state = new PlaylistState(f.getOrDefault("node", ""),
                        Long.parseLong(f.getOrDefault("token", "0")), Long.parseLong(f.get("next_sequence")),
                        Long.parseLong(f.get("discontinuity_sequence")), PlaylistState.decodeRecent(f.get("segments")),
                        "1".equals(f.get("live")));
                return Optional.of(new StoredPlaylist(state,
                        Duration.ofMillis(Math.max(0, now - Long.parseLong(f.get("written_ms"))))));
            } catch (RuntimeException e) {
                return Optional.<StoredPlaylist>empty(); // a state this version cannot read: numbering starts anew
            }
        });
    }

    @Override
    public Outcome recordPlaylist(String channelId, String leaseValue, PlaylistState state, Duration expiry)
            throws ClusterStoreException {
        Long n = call(redis -> redis.eval(RECORD_PLAYLIST, ScriptOutputType.INTEGER,
                new String[] {PREFIX + "lease:" + channelId, PREFIX + "playlist:" + channelId}, leaseValue,
                state.node(), Long.toString(state.token()), Long.toString(state.nextSequence()),
                Long.toString(state.discontinuitySequence()), state.encodedRecent(), state.live() ? "1" : "0",
                Long.toString(expiry.toMillis())));
        return n != null && n == 1 ? Outcome.DONE : Outcome.NOT_HOLDER;
    }

    @Override
    public boolean reserveSession(String channelId, String member, int limit, Duration ttl)
            throws ClusterStoreException {
        Long n = call(redis -> redis.eval(RESERVE_SESSION, ScriptOutputType.INTEGER,
                new String[] {sessionsKey(channelId)}, member, Integer.toString(limit), Long.toString(ttl.toMillis())));
        return n != null && n == 1;
    }

    @Override
    public void renewSessions(String channelId, List<String> members, Duration ttl) throws ClusterStoreException {
        if (members.isEmpty()) {
            return;
        }
        String[] args = new String[members.size() + 1];
        args[0] = Long.toString(ttl.toMillis());
        for (int i = 0; i < members.size(); i++) {
            args[i + 1] = members.get(i);
        }
        call(redis -> redis.eval(RENEW_SESSIONS, ScriptOutputType.INTEGER, new String[] {sessionsKey(channelId)},
                args));
    }

    @Override
    public void releaseSession(String channelId, String member) throws ClusterStoreException {
        call(redis -> redis.zrem(sessionsKey(channelId), member));
    }

    @Override
    public Map<String, Integer> sessionCounts(List<String> channelIds) throws ClusterStoreException {
        if (channelIds.isEmpty()) {
            return Map.of();
        }
        List<Long> counts = call(redis -> redis.eval(COUNT_SESSIONS, ScriptOutputType.MULTI,
                channelIds.stream().map(RedisClusterStore::sessionsKey).toArray(String[]::new)));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < channelIds.size() && i < counts.size(); i++) {
            if (counts.get(i) > 0) {
                out.put(channelIds.get(i), counts.get(i).intValue());
            }
        }
        return out;
    }

    private static String sessionsKey(String channelId) {
        return PREFIX + "sessions:" + channelId;
    }

    @Override
    public int appendEvents(String node, List<NodeEvent> events) throws ClusterStoreException {
        if (events.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(2 + 4 * events.size());
        args.add(node);
        args.add(Integer.toString(EVENT_STREAM_LENGTH));
        for (NodeEvent e : events) {
            args.add(Long.toString(e.sequence()));
            args.add(e.type());
            args.add(e.channelId().orElse(""));
            args.add(e.json());
        }
        Long n = call(redis -> redis.eval(APPEND_EVENTS, ScriptOutputType.INTEGER,
                new String[] {EVENTS, PREFIX + "events-appended:" + node}, args.toArray(String[]::new)));
        return n == null ? 0 : n.intValue();
    }

    @Override
    public long eventsAppended(String node) throws ClusterStoreException {
        String value = call(redis -> redis.get(PREFIX + "events-appended:" + node));
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void forgetEventsAppended(String node) throws ClusterStoreException {
        call(redis -> redis.del(PREFIX + "events-appended:" + node));
    }

    @Override
    public EventPage eventsAfter(StreamId id, int limit) throws ClusterStoreException {
        List<Object> reply = call(redis -> redis.eval(EVENTS_AFTER, ScriptOutputType.MULTI, new String[] {EVENTS},
                id.toString(), Integer.toString(limit)));
        boolean kept = ((Long) reply.get(0)) > 0;
        List<EventEntry> entries = new ArrayList<>();
        for (Object item : (List<?>) reply.get(1)) {
            List<?> entry = (List<?>) item;
            entry(String.valueOf(entry.get(0)), (List<?>) entry.get(1)).ifPresent(entries::add);
        }
        return new EventPage(entries, kept);
    }

    /** An entry from its id and its field list; empty when this version cannot read it (left out of the feeds). */
    private static Optional<EventEntry> entry(String id, List<?> fieldList) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fieldList.size(); i += 2) {
            fields.put(String.valueOf(fieldList.get(i)), String.valueOf(fieldList.get(i + 1)));
        }
        Optional<StreamId> streamId = StreamId.parse(id);
        String json = fields.get("event");
        String type = fields.get("type");
        if (streamId.isEmpty() || json == null || type == null) {
            return Optional.empty();
        }
        try {
            String channel = fields.getOrDefault("channel_id", "");
            return Optional.of(new EventEntry(streamId.get(), fields.getOrDefault("node", ""), new NodeEvent(
                    Long.parseLong(fields.getOrDefault("sequence", "0")), type,
                    channel.isEmpty() ? Optional.empty() : Optional.of(channel), json)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public StreamId lastEventId() throws ClusterStoreException {
        List<StreamMessage<String, String>> last = call(redis -> redis.xrevrange(EVENTS, Range.unbounded(),
                Limit.from(1)));
        return last.isEmpty() ? StreamId.ZERO : StreamId.parse(last.getFirst().getId()).orElse(StreamId.ZERO);
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
    public void offerHandover(String channelId, String from, String to, Duration expiry)
            throws ClusterStoreException {
        call(redis -> {
            String key = PREFIX + "handover:" + channelId;
            Map<String, String> fields = Map.of("from", from, "to", to, "state", HandoverOffer.OFFERED);
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
        return Optional.of(new HandoverOffer(channelId, fields.getOrDefault("from", ""), fields.getOrDefault("to", ""),
                fields.getOrDefault("state", "")));
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
