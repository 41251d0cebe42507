package dev.headend.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the text of a configuration file. Only a regular file is opened (a symbolic link is
 * followed to one): a directory, named pipe, device or socket is refused before it is opened, so
 * no read can wait for a writer that never comes. The text is UTF-8 and at most {@link
 * #MAX_BYTES} long. The read runs on a thread of its own and is given up after {@link
 * #READ_TIMEOUT} (a hung network mount, a file swapped for a pipe after the check), so a caller
 * never waits longer than that, whatever the file system does.
 */
final class ConfigFile {
    /** Far above any real configuration (thousands of channels), far below memory trouble. */
    static final int MAX_BYTES = 1024 * 1024;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /** File type bits of a POSIX mode. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private ConfigFile() {}

    /** The file's text; a {@link ConfigException} saying why when it cannot be used. */
    static String read(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + reason(e));
        }
        if (!attributes.isRegularFile()) {
            throw new ConfigException("configuration file " + file + " is " + kind(file, attributes)
                    + "; give the path of a regular file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge(file);
        }
        FutureTask<byte[]> read = new FutureTask<>(() -> readAtMostOneMore(file));
        // a platform thread: a virtual one could wait for a carrier past the limit when the
        // carriers are busy, and a healthy file would be reported as hung
        Thread reader = Thread.ofPlatform().daemon().name("config-read").start(read);
        byte[] bytes;
        try {
            bytes = read.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reader.interrupt();
            throw new ConfigException("reading configuration file " + file + " took longer than "
                    + READ_TIMEOUT.toSeconds() + " s; is it on a file system that does not answer?");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io
                    ? new ConfigException("cannot read configuration file " + file + ": " + reason(io))
                    : new IllegalStateException("reading " + file + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("reading configuration file " + file + " was interrupted");
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(file);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("configuration file " + file + " is not UTF-8 text");
        }
    }

    /** At most {@code MAX_BYTES + 1} bytes, so a file that grew after the size check is still caught. */
    private static byte[] readAtMostOneMore(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_BYTES + 1);
        }
    }

    private static ConfigException tooLarge(Path file) {
        return new ConfigException("configuration file " + file + " is larger than " + MAX_BYTES / 1024
                + " KiB, the most a configuration may be");
    }

    private static String reason(IOException e) {
        return e instanceof AccessDeniedException ? "permission denied" : e.toString();
    }

    /** What a file that is not a regular file is, in words. */
    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        int type;
        try {
            type = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not a regular file";
        }
        return switch (type) {
            case S_IFIFO -> "a named pipe (FIFO)";
            case S_IFCHR -> "a character device";
            case S_IFBLK -> "a block device";
            case S_IFSOCK -> "a socket";
            default -> "not a regular file";
        };
    }
}
