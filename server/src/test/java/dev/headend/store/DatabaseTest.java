package dev.headend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    @Test
    void aNewStoreIsCreatedInWalModeWithTheSchema() throws Exception {
        Path dir = Files.createTempDirectory("headend-store");
        try (Database db = Database.open(dir.resolve("data"))) {
            assertThat(db.file()).isEqualTo(dir.resolve("data").resolve(Database.FILE_NAME));
            String mode = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(mode).isEqualToIgnoringCase("wal");
            int tables = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                                + " ('events', 'outbox', 'running_streams', 'receiver_streams')")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(tables).isEqualTo(4);
        }
    }

    @Test
    void aWriteThatFailsLeavesNothingBehind() throws Exception {
        Path dir = Files.createTempDirectory("headend-store");
        try (Database db = Database.open(dir)) {
            assertThatThrownBy(() -> db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO running_streams (channel_id, started_sequence) VALUES ('cam', 1)");
                    s.execute("INSERT INTO no_such_table VALUES (1)");
                }
                return null;
            })).isInstanceOf(StoreException.class);

            int rows = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*) FROM running_streams")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isZero();
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedWithWhatToDo() throws Exception {
        Path dir = Files.createTempDirectory("headend-store");
        Path file = dir.resolve(Database.FILE_NAME);
        byte[] junk = new byte[8192];
        java.util.Arrays.fill(junk, (byte) 0x5a);
        Files.write(file, junk);

        assertThatThrownBy(() -> Database.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("damaged")
                .hasMessageContaining("mv " + file + " " + file + ".damaged");
        assertThat(Files.readAllBytes(file)).as("the file is left as it was").isEqualTo(junk);
    }

    @Test
    void aStoreWhosePagesAreCorruptIsRefusedAtStart() throws Exception {
        Path dir = Files.createTempDirectory("headend-store");
        try (Database db = Database.open(dir)) {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    for (int i = 0; i < 400; i++) {
                        s.execute("INSERT INTO events (sequence, event_id, type, channel_id, time_ms, json) VALUES ("
                                + (i + 1) + ", 'id-" + i + "', 'stream_started', 'cam', 0, '" + "x".repeat(200) + "')");
                    }
                }
                return null;
            });
        }
        Path file = dir.resolve(Database.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 4096 * 2; i < Math.min(bytes.length, 4096 * 6); i++) {
            bytes[i] = (byte) 0xff; // pages of the events table, header kept
        }
        Files.write(file, bytes);

        assertThatThrownBy(() -> Database.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("damaged");
    }
}
