package dev.headend.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite file of the embedded store, in WAL mode: one writer connection and a few reader
 * connections (WAL lets readers run beside the writer, each on a consistent snapshot).
 *
 * <p>Invariants: every write goes through {@link #write}, one at a time, on the one writer
 * connection, in a transaction that commits or rolls back as a whole; reads never wait for a
 * write; the file passed {@code quick_check} and holds the latest schema (Flyway) before any
 * connection is handed out. Callers that must not wait for the disk (pipeline threads,
 * viewers' requests) do not write: they hand their work to a writer thread of their own feature.
 * An operator's change that must be stored before it is answered (a channel created through the
 * API) writes directly.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** The file's name in {@code data_dir}. */
    public static final String FILE_NAME = "headend.db";
    private static final int READERS = 3;
    /** How long a connection waits for a lock held by another process before failing. */
    private static final int BUSY_TIMEOUT_MS = 5_000;
    /**
     * The version of the newest migration in {@code db/migration} (a test keeps them in step): a
     * store at this version or newer needs no migration, so the start-up spares Flyway's set-up
     * and scan of the class path (a third of a second of a start that should stay under one).
     */
    static final int SCHEMA_VERSION = 4;

    private final Path file;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

    private Database(Path file, Connection writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens (creating it when missing) the store file in {@code dataDir}, checks it and migrates
     * its schema.
     *
     * @throws StoreException naming the file and what to do when it is damaged, not a database,
     *     or cannot be opened
     */
    public static Database open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Connection writer = null;
        try {
            writer = connect(file, false);
            quickCheck(writer, file);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
            }
            if (appliedVersion(writer) < SCHEMA_VERSION) {
                migrate(file);
            }
            Database db = new Database(file, writer);
            for (int i = 0; i < READERS; i++) {
                db.readers.add(connect(file, true));
            }
            log.info("store {} open (SQLite {}, WAL)", file, writer.getMetaData().getDatabaseProductVersion());
            return db;
        } catch (SQLException e) {
            closeQuietly(writer);
            if (e instanceof SQLiteException lite && (lite.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT
                    || lite.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB)) {
                throw damaged(file, e.getMessage(), e);
            }
            throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** Refuses a damaged file before anything reads or writes it. */
    private static void quickCheck(Connection c, Path file) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        if (!problems.equals(List.of("ok"))) {
            throw damaged(file, String.join("; ", problems.subList(0, Math.min(3, problems.size()))), null);
        }
    }

    private static StoreException damaged(Path file, String detail, Throwable cause) {
        return new StoreException("the store file " + file + " is damaged or is not a Headend store (" + detail
                + "). Stop the server, move the file aside (mv " + file + " " + file + ".damaged) and start again:"
                + " a new, empty store is created; the event history and undelivered webhooks in the old file are"
                + " lost", cause);
    }

    /**
     * The newest schema version Flyway applied successfully to the store, 0 for a new store or
     * one whose last migration failed (Flyway then reports it).
     */
    private static int appliedVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master"
                + " WHERE type = 'table' AND name = 'flyway_schema_history'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CASE WHEN EXISTS (SELECT 1"
                + " FROM flyway_schema_history WHERE NOT success) THEN 0 ELSE (SELECT max(CAST(version AS INTEGER))"
                + " FROM flyway_schema_history WHERE version IS NOT NULL) END")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void migrate(Path file) {
        try {
            Flyway.configure()
                    .dataSource("jdbc:sqlite:" + file, "", "")
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the store " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} as one transaction on the writer connection, after the writes before it. */
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("store write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a reader connection: it sees the writes committed before it began. */
    public <T> T read(SqlWork<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a store reader", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("store read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    /** Closes every connection; the WAL is checkpointed into the file. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            Connection c;
            while ((c = readers.poll()) != null) {
                closeQuietly(c);
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a store connection: {}", e.toString());
        }
    }
}
