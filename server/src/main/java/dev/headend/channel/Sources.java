package dev.headend.channel;

import dev.headend.security.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Parses and validates channel source URLs. */
public final class Sources {
    private static final Set<String> NETWORK_SCHEMES = Set.of("udp", "srt", "rtmp");

    private Sources() {}

    /**
     * Parses a source URL.
     *
     * @param baseDir directory that relative {@code file:} paths are resolved against
     * @throws InvalidChannelException naming the channel when the URL is malformed or its scheme unknown
     */
    public static Source parse(String channelId, String text, Path baseDir) {
        String url = text.trim();
        int colon = url.indexOf(':');
        if (colon <= 0) {
            throw new InvalidChannelException("channel " + channelId + ": source '" + url
                    + "' has no scheme; use test:, file:, push:, http(s)://, rtsp(s)://, udp://, srt:// or rtmp://");
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "test" -> {
                if (!url.substring(colon + 1).isBlank()) {
                    throw new InvalidChannelException("channel " + channelId + ": source 'test:' takes no argument, got '"
                            + url + "'");
                }
                yield new Source.TestPattern();
            }
            case "push" -> {
                String stream = url.substring(colon + 1);
                if (!Channel.ID.matcher(stream).matches()) {
                    throw new InvalidChannelException("channel " + channelId + ": source 'push:' needs a relay stream"
                            + " id (a-z, 0-9, _ and -), e.g. push:" + channelId + ", got '" + Secrets.mask(url) + "'");
                }
                yield new Source.Push(stream);
            }
            case "file" -> new Source.MediaFile(filePath(channelId, url.substring(colon + 1), baseDir));
            case "http", "https" -> new Source.Http(networkUri(channelId, url));
            case "rtsp", "rtsps" -> new Source.Rtsp(networkUri(channelId, url));
            default -> {
                if (NETWORK_SCHEMES.contains(scheme)) {
                    yield new Source.Network(networkUri(channelId, url));
                }
                throw new InvalidChannelException("channel " + channelId + ": unsupported source scheme '" + scheme
                        + "' in '" + Secrets.mask(url)
                        + "'; use test:, file:, push:, http(s)://, rtsp(s)://, udp://, srt:// or rtmp://");
            }
        };
    }

    private static Path filePath(String channelId, String rest, Path baseDir) {
        String p = rest.startsWith("//") ? rest.substring(2) : rest;
        if (p.isBlank()) {
            throw new InvalidChannelException("channel " + channelId + ": source 'file:' needs a path, e.g. file:/srv/clip.mp4");
        }
        Path path = Path.of(p);
        return (path.isAbsolute() ? path : baseDir.resolve(path)).normalize();
    }

    private static URI networkUri(String channelId, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidChannelException("channel " + channelId + ": source '" + Secrets.mask(url)
                    + "' is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidChannelException("channel " + channelId + ": source '" + Secrets.mask(url)
                    + "' has no host");
        }
        return uri;
    }

    /** The URL with its credentials masked, so passwords never reach logs or the API. */
    static String redact(URI uri) {
        return Secrets.mask(uri.toString());
    }
}
