package dev.headend.cluster;

import dev.headend.security.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a node in a cluster (cluster mode is on only when a Redis address is set).
 *
 * @param redis the cluster's Redis
 * @param nodeUrl the base URL other nodes reach this node at; empty: made from the HTTP bind
 *     address and port
 * @param nodeId this node's name; {@link #AUTO_ID}: generated once and kept in the data directory
 * @param leaseTtl how long an ownership lease lasts without renewal
 * @param redirect whether viewers of a channel another node owns get a 307 instead of a relay
 * @param secret the credential of requests between nodes; empty: the one kept in Redis
 */
public record ClusterSettings(RedisAddress redis, Optional<URI> nodeUrl, String nodeId, Duration leaseTtl,
        boolean redirect, Optional<Secret> secret) {
    /** The node id that asks for a generated one. */
    public static final String AUTO_ID = "auto";
    /** The pattern of a node id. */
    public static final String ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

    public ClusterSettings {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(nodeUrl, "nodeUrl");
        Objects.requireNonNull(secret, "secret");
        if (!nodeId.matches(ID_PATTERN)) {
            throw new IllegalArgumentException("node id must be 1-64 of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease ttl must be at least 1s");
        }
    }
}
