package dev.headend.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** A node's id and URL when the settings leave them to the node. */
public final class NodeIdentity {
    private static final String ID_FILE = "node-id";

    private NodeIdentity() {}

    /**
     * The configured id, or for {@link ClusterSettings#AUTO_ID} the one kept in {@code
     * dataDir/node-id}, generated and written there the first time.
     */
    public static String id(String configured, Path dataDir) throws IOException {
        if (!configured.equals(ClusterSettings.AUTO_ID)) {
            return configured;
        }
        Path file = dataDir.resolve(ID_FILE);
        if (Files.exists(file)) {
            String kept = Files.readString(file).strip();
            if (kept.matches(ClusterSettings.ID_PATTERN)) {
                return kept;
            }
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = "node-" + HexFormat.of().formatHex(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, id + "\n");
        return id;
    }

    /**
     * The configured URL, else {@code http://BIND:PORT}, with the host's address for a wildcard
     * bind (which other nodes cannot reach as such).
     */
    public static String url(Optional<URI> configured, String bind, int port) {
        if (configured.isPresent()) {
            return configured.get().toString();
        }
        String host = bind;
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
            try {
                host = InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                host = "127.0.0.1";
            }
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port;
    }
}
