package dev.headend.cluster;

import dev.headend.security.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the cluster's Redis is: {@code redis://[user:password@]host:port[/db]}, or {@code
 * rediss://} for TLS. The password is only reachable through {@link #password()}; {@link
 * #toString} shows the address with it masked, so the address can be logged and shown.
 */
public final class RedisAddress {
    private static final int DEFAULT_PORT = 6379;

    private final boolean tls;
    private final String host;
    private final int port;
    private final int database;
    private final Optional<String> user;
    private final Optional<String> password;

    private RedisAddress(boolean tls, String host, int port, int database, Optional<String> user,
            Optional<String> password) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /**
     * Reads an address as written in a setting.
     *
     * @throws IllegalArgumentException saying what is wrong, without the password
     */
    public static RedisAddress parse(String text) {
        String shown = Secrets.mask(text);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw bad(shown);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(shown);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port == 0) {
            throw bad(shown);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        int database = 0;
        if (!path.isEmpty() && !path.equals("/")) {
            if (!path.substring(1).matches("[0-9]{1,2}")) {
                throw new IllegalArgumentException("must name a database number 0-99 after the port, such as"
                        + " redis://host:6379/0, got '" + shown + "'");
            }
            database = Integer.parseInt(path.substring(1));
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String u = decode(colon < 0 ? info : info.substring(0, colon));
            user = u.isEmpty() || colon < 0 ? Optional.empty() : Optional.of(u);
            password = Optional.of(decode(colon < 0 ? info : info.substring(colon + 1))).filter(p -> !p.isEmpty());
        }
        return new RedisAddress(scheme.equalsIgnoreCase("rediss"), uri.getHost(), port, database, user, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String shown) {
        return new IllegalArgumentException("must be a URL such as redis://host:6379 or"
                + " redis://:password@host:6379/0 (rediss:// for TLS), got '" + shown + "'");
    }

    public boolean tls() {
        return tls;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int database() {
        return database;
    }

    public Optional<String> user() {
        return user;
    }

    /** The password, for the client that connects; never to show it. */
    public Optional<String> password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisAddress other && tls == other.tls && host.equals(other.host) && port == other.port
                && database == other.database && user.equals(other.user) && password.equals(other.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, database, user, password);
    }

    /** The address with its password masked. */
    @Override
    public String toString() {
        String info = password.isPresent() ? user.orElse("") + ":" + Secrets.MASK + "@"
                : user.map(u -> u + "@").orElse("");
        return (tls ? "rediss" : "redis") + "://" + info + host + ":" + port + "/" + database;
    }
}
