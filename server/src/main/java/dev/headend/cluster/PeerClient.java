package dev.headend.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Requests to other nodes' playback routes on behalf of this node's viewers, with the cluster
 * secret in {@link ClusterNode#PEER_HEADER} (so the owner serves them without a session of its
 * own and never relays them further). Segments go through the {@link SegmentCache}.
 */
public final class PeerClient {
    /** The most segments kept from other nodes (about a minute of a few channels). */
    static final int CACHED_SEGMENTS = 256;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long another node's session API may take to answer (it only reads or changes memory). */
    private static final Duration PEER_API_TIMEOUT = Duration.ofSeconds(3);

    /** An answer from another node: its status, content type and body. */
    public record Answer(int status, String contentType, byte[] body) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Supplier<String> credential;
    private final SegmentCache cache = new SegmentCache(CACHED_SEGMENTS);
    private final Duration timeout;

    /**
     * @param credential the cluster secret (read at each request: it is known once Redis answered)
     * @param timeout how long a playlist or segment request may take (the owner may be starting the channel)
     */
    public PeerClient(Supplier<String> credential, Duration timeout) {
        this.credential = credential;
        this.timeout = timeout;
    }

    /** The owner's live playlist of the channel, without a session; its segment URIs are relative. */
    public Answer playlist(String nodeUrl, String channelId) throws IOException, InterruptedException {
        return get(URI.create(nodeUrl + "/live/" + encode(channelId) + "/index.m3u8"));
    }

    /**
     * The segment's bytes, from the cache or fetched once from the owner.
     *
     * @throws PeerAnswerException when the owner answers with an error
     */
    public byte[] segment(String nodeUrl, String channelId, long sequence) throws Exception {
        return cache.get(channelId, sequence, () -> {
            Answer a = get(URI.create(nodeUrl + "/live/" + encode(channelId) + "/" + sequence + ".ts"));
            if (a.status() != 200) {
                throw new PeerAnswerException(a);
            }
            return a.body();
        });
    }

    /** The owner's continuous TS of the channel, open; the caller closes the stream. */
    public HttpResponse<InputStream> ts(String nodeUrl, String channelId) throws IOException, InterruptedException {
        HttpRequest request = request(URI.create(nodeUrl + "/live/" + encode(channelId) + ".ts")).build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private Answer get(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(uri).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse("application/octet-stream"),
                r.body());
    }

    /** The viewer sessions open on a node ({@code GET /cluster/sessions}), as JSON. */
    public Answer sessions(String nodeUrl) throws IOException, InterruptedException {
        return send(request(URI.create(nodeUrl + "/cluster/sessions")).timeout(PEER_API_TIMEOUT).build());
    }

    /** Ends a viewer session open on a node ({@code DELETE /cluster/sessions/{id}}); its answer, as JSON. */
    public Answer endSession(String nodeUrl, String sessionId) throws IOException, InterruptedException {
        return send(request(URI.create(nodeUrl + "/cluster/sessions/" + encode(sessionId)))
                .timeout(PEER_API_TIMEOUT).DELETE().build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse("application/json"),
                r.body());
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header(ClusterNode.PEER_HEADER, credential.get()).GET();
    }

    private static String encode(String channelId) {
        return URLEncoder.encode(channelId, StandardCharsets.UTF_8);
    }

    /** The owner answered a segment request with an error, passed on to the viewer. */
    public static final class PeerAnswerException extends Exception {
        private final Answer answer;

        PeerAnswerException(Answer answer) {
            super("the owner answered " + answer.status());
            this.answer = answer;
        }

        public Answer answer() {
            return answer;
        }
    }
}
