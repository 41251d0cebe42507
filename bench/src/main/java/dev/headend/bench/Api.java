package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Control calls to the server under test (JDK HttpClient, redirects followed), checked for
 * success; calls to {@code /api} carry the admin token.
 */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String adminToken;

    Api(String base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(URI.create(base + path));
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(authorized(HttpRequest.newBuilder(uri), uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        return http.send(authorized(HttpRequest.newBuilder(uri), uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with a body. */
    HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        return http.send(authorized(HttpRequest.newBuilder(uri), uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        return http.send(authorized(HttpRequest.newBuilder(uri), uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        return http.send(authorized(HttpRequest.newBuilder(uri), uri).timeout(Duration.ofSeconds(60)).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose answer is read line by line as it arrives (an event stream); close the lines to end it. */
    HttpResponse<Stream<String>> lines(String path) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        return http.send(authorized(HttpRequest.newBuilder(uri), uri).build(), HttpResponse.BodyHandlers.ofLines());
    }

    /**
     * Ends every session of {@code protocol} on {@code channelId} through {@code DELETE
     * /api/sessions/{id}}; returns how many it ended.
     */
    int kickAll(String channelId, String protocol) throws IOException, InterruptedException {
        int n = 0;
        for (JsonNode s : sessions(channelId)) {
            if (s.path("protocol").asText().equals(protocol)) {
                String path = "/api/sessions/" + s.path("id").asText();
                HttpResponse<String> r = delete(path);
                if (r.statusCode() != 200 && r.statusCode() != 404) { // 404: it ended by itself meanwhile
                    throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " " + r.body());
                }
                n += r.statusCode() == 200 ? 1 : 0;
            }
        }
        return n;
    }

    /** The sessions on {@code channelId} (a channel or a relay stream id) that {@code GET /api/sessions} lists. */
    List<JsonNode> sessions(String channelId) throws IOException, InterruptedException {
        List<JsonNode> on = new ArrayList<>();
        for (JsonNode s : json("/api/sessions").path("sessions")) {
            if (s.path("channel_id").asText().equals(channelId)) {
                on.add(s);
            }
        }
        return on;
    }

    /** Waits (up to {@code bound}) until the channel's playlist lists {@code segments} segments: its window is full. */
    void awaitFullWindow(URI sessionUri, int segments, Duration bound) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (playlist(sessionUri).entries().size() < segments) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the playlist did not reach " + segments + " segments in " + bound);
            }
            Thread.sleep(500);
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request, URI uri) {
        return uri.getPath().startsWith("/api/") ? request.header("Authorization", "Bearer " + adminToken) : request;
    }

    /** A segment's bytes. */
    byte[] bytes(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return ok(r, uri.toString()).body();
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        return JSON.readTree(ok(get(path), path).body());
    }

    /** Starts a channel and waits until it has a segment. */
    void start(String id) throws IOException, InterruptedException {
        String path = "/api/streams/" + id + "/start?wait=ready";
        ok(post(path), path);
    }

    /** Stops a channel; returns when its pipeline is reaped. */
    void stop(String id) throws IOException, InterruptedException {
        String path = "/api/streams/" + id + "/stop";
        ok(post(path), path);
    }

    /** Opens an HLS session: the playlist URL with its session token, as a player keeps it. */
    URI session(String id) throws IOException, InterruptedException {
        String path = "/live/" + id + "/index.m3u8";
        return ok(get(path), path).uri();
    }

    Playlist playlist(URI sessionUri) throws IOException, InterruptedException {
        return Playlist.parse(ok(get(sessionUri), sessionUri.toString()).body());
    }

    private static <T> HttpResponse<T> ok(HttpResponse<T> r, String what) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r;
    }
}
