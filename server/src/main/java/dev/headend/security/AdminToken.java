package dev.headend.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The token every admin request carries ({@code Authorization: Bearer ...}), and where it came
 * from. A configured token ({@code admin_token}, {@code HEADEND_ADMIN_TOKEN}) wins; otherwise the
 * one kept in {@code data_dir/admin-token} is used, generated at the first start (256 random
 * bits, base64url) with mode 0600 so only the server's user can read it.
 *
 * @param file where the token is kept when it was not configured
 * @param generated true when this start created the file (its text is then shown once)
 */
public record AdminToken(Secret secret, Origin origin, Optional<Path> file, boolean generated) {
    /** The name of the token's file in the data directory. */
    public static final String FILE_NAME = "admin-token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the token came from. */
    public enum Origin {
        /** The {@code admin_token} setting (file or environment). */
        CONFIGURED,
        /** The token file in the data directory. */
        DATA_DIR
    }

    /**
     * The configured token, else the one in {@code dataDir}, else a new one written there.
     *
     * @throws IOException when the token file cannot be read or written, or is not a regular
     *     file readable only by its owner, or holds a token too short to be one
     */
    public static AdminToken resolve(Optional<Secret> configured, Path dataDir) throws IOException {
        if (configured.isPresent()) {
            return new AdminToken(configured.get(), Origin.CONFIGURED, Optional.empty(), false);
        }
        Path file = dataDir.resolve(FILE_NAME);
        Files.createDirectories(dataDir);
        String fresh = newToken();
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)), fresh + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new AdminToken(Secret.of(fresh), Origin.DATA_DIR, Optional.of(file), true);
        } catch (FileAlreadyExistsException e) {
            return new AdminToken(read(file), Origin.DATA_DIR, Optional.of(file), false);
        }
    }

    private static Secret read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file; remove it to have a new admin token generated");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IOException(file + " can be read by other users (mode "
                    + PosixFilePermissions.toString(permissions) + "); run chmod 600 on it");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            return Secret.of(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("the admin token in " + file + " " + e.getMessage()
                    + "; remove the file to have a new one generated");
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
