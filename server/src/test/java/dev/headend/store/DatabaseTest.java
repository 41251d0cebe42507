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

    @Test
    void theSchemaVersionIsTheNewestMigrationsVersion() throws Exception {
        Path migrations = Path.of("src/main/resources/db/migration");
        int newest;
        try (var files = Files.list(migrations)) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(Database.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void aStoreAtTheLatestSchemaOpensWithoutFlywayAndAnOlderOneIsMigrated() throws Exception {
        Path dir = Files.createTempDirectory("headend-store");
        try (Database db = Database.open(dir)) {
            assertThat(history(db)).isEqualTo(Database.SCHEMA_VERSION);
            // a checksum Flyway's validation would refuse: opening again proves Flyway did not run
            sql(db, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        }
        try (Database db = Database.open(dir)) {
            assertThat(history(db)).isEqualTo(Database.SCHEMA_VERSION);
            sql(db, "UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '1'");
            // as a store written before the newest migration: its record and its table gone
            sql(db, "DELETE FROM flyway_schema_history WHERE version = '" + Database.SCHEMA_VERSION + "'");
            sql(db, "DROP TABLE webhook_receivers");
        }
        try (Database db = Database.open(dir)) {
            assertThat(history(db)).isEqualTo(Database.SCHEMA_VERSION);
            int tables = db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'webhook_receivers'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(tables).isEqualTo(1);
        }
    }

    private static void sql(Database db, String statement) {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(statement);
            }
            return null;
        });
    }

    /** The rows of Flyway's history, all of them successful. */
    private static int history(Database db) throws Exception {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
