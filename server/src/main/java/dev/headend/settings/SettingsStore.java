package dev.headend.settings;

import dev.headend.config.Setting;
import dev.headend.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values set through the API, in the store's {@code settings} table (migration V2): one row
 * per setting key, its value as written and when it was set. Secrets are never stored (the API
 * refuses them).
 */
public final class SettingsStore {
    private final Database db;

    public SettingsStore(Database db) {
        this.db = db;
    }

    /** Every stored value by key, keys as stored (a key no longer known is the caller's to judge). */
    public Map<String, String> load() {
        return db.read(c -> {
            Map<String, String> values = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT key, value FROM settings ORDER BY key");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
            return values;
        });
    }

    /** Stores every value of {@code values} at once (one transaction), replacing those of the same keys. */
    public void put(Map<Setting, String> values, Instant at) {
        change(values, List.of(), at);
    }

    /** Forgets the stored value of {@code key}, if there is one. */
    public void remove(String key) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                s.setString(1, key);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Stores {@code values} and forgets the values of {@code removed}, in one transaction. */
    public void change(Map<Setting, String> values, List<String> removed, Instant at) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT OR REPLACE INTO settings (key, value, changed_ms) VALUES (?, ?, ?)")) {
                for (Map.Entry<Setting, String> e : values.entrySet()) {
                    s.setString(1, e.getKey().key());
                    s.setString(2, e.getValue());
                    s.setLong(3, at.toEpochMilli());
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                for (String key : removed) {
                    s.setString(1, key);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }
}
