package dev.headend.events;

import dev.headend.security.Secret;
import dev.headend.store.Database;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The API's webhook receivers in the SQLite store (table of migration V4), next to the outbox. */
public final class SqliteWebhookStore implements WebhookStore {
    private final Database db;

    public SqliteWebhookStore(Database db) {
        this.db = db;
    }

    @Override
    public List<WebhookTarget> receivers() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, url, token, secret, events, timeout_seconds"
                    + " FROM webhook_receivers ORDER BY created_ms, id");
                    ResultSet rs = s.executeQuery()) {
                List<WebhookTarget> out = new ArrayList<>();
                while (rs.next()) {
                    String events = rs.getString("events");
                    out.add(new WebhookTarget(rs.getString("id"), URI.create(rs.getString("url")),
                            secret(rs.getString("token")), secret(rs.getString("secret")),
                            events.isEmpty() ? Set.of() : Set.of(events.split(",")),
                            Duration.ofSeconds(rs.getInt("timeout_seconds")), WebhookTarget.Origin.API));
                }
                return out;
            }
        });
    }

    private static Optional<Secret> secret(String value) {
        return Optional.ofNullable(value).map(Secret::of);
    }

    @Override
    public void add(WebhookTarget r, long createdMs) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook_receivers"
                    + " (id, url, token, secret, events, timeout_seconds, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, r.id());
                s.setString(2, r.url().toString());
                s.setString(3, r.token().map(Secret::reveal).orElse(null));
                s.setString(4, r.secret().map(Secret::reveal).orElse(null));
                s.setString(5, events(r));
                s.setLong(6, r.timeout().toSeconds());
                s.setLong(7, createdMs);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void replace(WebhookTarget r) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE webhook_receivers SET url = ?, token = ?,"
                    + " secret = ?, events = ?, timeout_seconds = ? WHERE id = ?")) {
                s.setString(1, r.url().toString());
                s.setString(2, r.token().map(Secret::reveal).orElse(null));
                s.setString(3, r.secret().map(Secret::reveal).orElse(null));
                s.setString(4, events(r));
                s.setLong(5, r.timeout().toSeconds());
                s.setString(6, r.id());
                return s.executeUpdate();
            }
        });
    }

    private static String events(WebhookTarget r) {
        return String.join(",", r.events().stream().sorted().toList());
    }

    @Override
    public int remove(String id) {
        return db.write(c -> {
            int dropped = update(c, "DELETE FROM outbox WHERE receiver_id = ? AND status = 'pending'", id);
            update(c, "DELETE FROM receiver_streams WHERE receiver_id = ?", id);
            update(c, "DELETE FROM webhook_receivers WHERE id = ?", id);
            return dropped;
        });
    }

    @Override
    public Map<String, Integer> dropPendingExcept(Set<String> kept) {
        return db.write(c -> {
            Map<String, Integer> dropped = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT receiver_id, COUNT(*) FROM outbox"
                    + " WHERE status = 'pending' GROUP BY receiver_id ORDER BY receiver_id");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (!kept.contains(rs.getString(1))) {
                        dropped.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            for (String id : dropped.keySet()) {
                update(c, "DELETE FROM outbox WHERE receiver_id = ? AND status = 'pending'", id);
                update(c, "DELETE FROM receiver_streams WHERE receiver_id = ?", id);
            }
            return dropped;
        });
    }

    private static int update(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            return s.executeUpdate();
        }
    }
}
