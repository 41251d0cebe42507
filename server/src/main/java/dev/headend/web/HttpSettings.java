package dev.headend.web;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where the HTTP server listens and how it presents itself, bound from the server settings.
 *
 * @param bind the address ({@code 0.0.0.0} for every interface)
 * @param port the port, 0 for a free one
 * @param publicUrl the base of playback URLs in answers, when the server is reached through
 *     another address (a reverse proxy); without it, the address the client used when it is
 *     one of the server's own
 * @param corsOrigins origins whose pages may read playback routes; {@code ["*"]} for any
 */
public record HttpSettings(String bind, int port, Optional<URI> publicUrl, List<String> corsOrigins) {
    public HttpSettings {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Listening on {@code bind}:{@code port} with no public URL and CORS open to any origin. */
    public static HttpSettings of(String bind, int port) {
        return new HttpSettings(bind, port, Optional.empty(), List.of("*"));
    }
}
