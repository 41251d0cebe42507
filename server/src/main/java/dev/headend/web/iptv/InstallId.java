package dev.headend.web.iptv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This install's identity, 128 random bits in {@code data_dir/install-id}: written once at the
 * first start (created exclusively, never overwritten), read at every later one. The HDHomeRun
 * device id and the UPnP device's UDN derive from it; it is not a secret.
 */
public final class InstallId {
    static final String FILE_NAME = "install-id";
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private InstallId() {}

    /** The UDN of the UPnP device an install describes ({@code /device.xml}) and announces (SSDP). */
    static UUID udn(String installId) {
        return UUID.nameUUIDFromBytes(("headend-upnp:" + installId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The install id kept in {@code dataDir}, written there first when there is none.
     *
     * @throws IOException when the file cannot be read or written, or holds no install id
     */
    public static String resolve(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        Files.createDirectories(dataDir);
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String fresh = HexFormat.of().formatHex(bits);
        try {
            Files.writeString(Files.createFile(file), fresh + "\n", StandardCharsets.UTF_8);
            return fresh;
        } catch (FileAlreadyExistsException e) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!FORMAT.matcher(kept).matches()) {
                throw new IOException(file + " does not hold an install id (32 hex digits); delete it to make a new"
                        + " one (TV apps will then see a new tuner)");
            }
            return kept;
        }
    }
}
