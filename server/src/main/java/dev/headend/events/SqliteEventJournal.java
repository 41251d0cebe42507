package dev.headend.events;

import dev.headend.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event journal in the SQLite store (tables of migration V1). */
public final class SqliteEventJournal implements EventJournal {
    private final Database db;

    public SqliteEventJournal(Database db) {
        this.db = db;
    }

    @Override
    public long lastSequence() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(sequence), 0) FROM events");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void append(List<Event> events, List<Delivery> deliveries) {
        db.write(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO events (sequence, event_id, type, channel_id, time_ms, json) VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement started = c.prepareStatement(
                            "INSERT OR REPLACE INTO running_streams (channel_id, started_sequence) VALUES (?, ?)");
                    PreparedStatement ended = c.prepareStatement("DELETE FROM running_streams WHERE channel_id = ?");
                    PreparedStatement outbox = c.prepareStatement("INSERT INTO outbox (receiver_id, sequence, status,"
                            + " next_attempt_ms, created_ms) VALUES (?, ?, 'pending', ?, ?)")) {
                for (Event e : events) {
                    insert.setLong(1, e.sequence());
                    insert.setString(2, e.eventId().toString());
                    insert.setString(3, e.type());
                    insert.setString(4, e.channelId().orElse(null));
                    insert.setLong(5, e.time().toEpochMilli());
                    insert.setString(6, e.toJson().toString());
                    insert.addBatch();
                    if (e.channelId().isPresent() && e.data() instanceof EventData.StreamStarted) {
                        started.setString(1, e.channelId().get());
                        started.setLong(2, e.sequence());
                        started.executeUpdate();
                    } else if (e.channelId().isPresent() && e.data() instanceof EventData.StreamEnded) {
                        ended.setString(1, e.channelId().get());
                        ended.executeUpdate();
                    }
                }
                insert.executeBatch();
                for (Delivery d : deliveries) {
                    outbox.setString(1, d.receiverId());
                    outbox.setLong(2, d.sequence());
                    outbox.setLong(3, d.createdMs());
                    outbox.setLong(4, d.createdMs());
                    outbox.addBatch();
                }
                outbox.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<StoredEvent> after(long sequence, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT sequence, type, channel_id, json FROM events"
                    + " WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
                s.setLong(1, sequence);
                s.setInt(2, limit);
                List<StoredEvent> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(stored(rs));
                    }
                }
                return out;
            }
        });
    }

    private static StoredEvent stored(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getLong("sequence"), rs.getString("type"),
                Optional.ofNullable(rs.getString("channel_id")), rs.getString("json"));
    }

    @Override
    public List<String> runningStreams() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT channel_id FROM running_streams ORDER BY started_sequence");
                    ResultSet rs = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<OutboxEntry> nextPending(String receiverId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT o.attempts, o.next_attempt_ms, o.created_ms,"
                    + " e.sequence, e.type, e.channel_id, e.json FROM outbox o JOIN events e ON e.sequence = o.sequence"
                    + " WHERE o.receiver_id = ? AND o.status = 'pending' ORDER BY o.sequence LIMIT 1")) {
                s.setString(1, receiverId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new OutboxEntry(receiverId, stored(rs), rs.getInt("attempts"),
                            rs.getLong("next_attempt_ms"), rs.getLong("created_ms")));
                }
            }
        });
    }

    @Override
    public void delivered(String receiverId, long sequence, long nowMs) {
        update("UPDATE outbox SET status = 'delivered', done_ms = ? WHERE receiver_id = ? AND sequence = ?",
                nowMs, receiverId, sequence);
    }

    @Override
    public void failed(String receiverId, long sequence, long nextAttemptMs, String error) {
        update("UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ?"
                + " WHERE receiver_id = ? AND sequence = ?", nextAttemptMs, error, receiverId, sequence);
    }

    @Override
    public void dead(String receiverId, long sequence, long nowMs, String error) {
        update("UPDATE outbox SET status = 'dead', attempts = attempts + 1, done_ms = ?, last_error = ?"
                + " WHERE receiver_id = ? AND sequence = ?", nowMs, error, receiverId, sequence);
    }

    @Override
    public Optional<String> receiverStreamId(String receiverId, String channelId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT receiver_stream_id FROM receiver_streams"
                    + " WHERE receiver_id = ? AND channel_id = ?")) {
                s.setString(1, receiverId);
                s.setString(2, channelId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void rememberReceiverStreamId(String receiverId, String channelId, String receiverStreamId) {
        update("INSERT OR REPLACE INTO receiver_streams (receiver_id, channel_id, receiver_stream_id) VALUES (?, ?, ?)",
                receiverId, channelId, receiverStreamId);
    }

    @Override
    public void forgetReceiverStreamId(String receiverId, String channelId) {
        update("DELETE FROM receiver_streams WHERE receiver_id = ? AND channel_id = ?", receiverId, channelId);
    }

    @Override
    public Map<String, ReceiverCounts> counts() {
        return db.read(c -> {
            Map<String, ReceiverCounts> out = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT receiver_id,"
                    + " SUM(status = 'delivered'), SUM(status = 'pending'), SUM(status = 'dead'), SUM(attempts),"
                    + " (SELECT last_error FROM outbox l WHERE l.receiver_id = o.receiver_id AND l.last_error IS NOT NULL"
                    + "  ORDER BY COALESCE(l.done_ms, l.next_attempt_ms) DESC LIMIT 1)"
                    + " FROM outbox o GROUP BY receiver_id");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ReceiverCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), Optional.ofNullable(rs.getString(6))));
                }
            }
            return out;
        });
    }

    @Override
    public int prune(long beforeMs, int keepLast) {
        return db.write(c -> {
            try (PreparedStatement outbox = c.prepareStatement(
                    "DELETE FROM outbox WHERE status != 'pending' AND done_ms < ?");
                    PreparedStatement events = c.prepareStatement("DELETE FROM events WHERE time_ms < ?"
                            + " AND sequence <= (SELECT COALESCE(MAX(sequence), 0) FROM events) - ?"
                            + " AND sequence NOT IN (SELECT sequence FROM outbox)")) {
                outbox.setLong(1, beforeMs);
                outbox.executeUpdate();
                events.setLong(1, beforeMs);
                events.setInt(2, keepLast);
                return events.executeUpdate();
            }
        });
    }

    private void update(String sql, Object... args) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                return s.executeUpdate();
            }
        });
    }
}
