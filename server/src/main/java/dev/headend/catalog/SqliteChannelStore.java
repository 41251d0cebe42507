package dev.headend.catalog;

import dev.headend.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The API's channels in the SQLite store (table of migration V3). */
public final class SqliteChannelStore implements ChannelStore {
    private final Database db;

    public SqliteChannelStore(Database db) {
        this.db = db;
    }

    @Override
    public List<StoredChannel> all() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT channel_id, definition, version FROM api_channels ORDER BY position");
                    ResultSet rs = s.executeQuery()) {
                List<StoredChannel> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StoredChannel(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
                return out;
            }
        });
    }

    @Override
    public void insertAll(List<StoredChannel> channels) {
        db.write(c -> {
            long last;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(position), 0) FROM api_channels");
                    ResultSet rs = s.executeQuery()) {
                last = rs.next() ? rs.getLong(1) : 0;
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO api_channels (channel_id, definition, version,"
                    + " position, updated_ms) VALUES (?, ?, ?, ?, ?)")) {
                for (StoredChannel channel : channels) {
                    s.setString(1, channel.id());
                    s.setString(2, channel.definition());
                    s.setLong(3, channel.version());
                    s.setLong(4, ++last);
                    s.setLong(5, now);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void update(StoredChannel channel) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE api_channels SET definition = ?, version = ?, updated_ms = ? WHERE channel_id = ?")) {
                s.setString(1, channel.definition());
                s.setLong(2, channel.version());
                s.setLong(3, System.currentTimeMillis());
                s.setString(4, channel.id());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void delete(String id) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM api_channels WHERE channel_id = ?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
            return null;
        });
    }
}
