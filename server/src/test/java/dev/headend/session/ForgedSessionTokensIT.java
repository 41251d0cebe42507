package dev.headend.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Session tokens the server did not issue, against a real server: 2,000 random well-formed
 * tokens (half of them as long as the tokens this server issues, half as long as those of
 * earlier versions) open no session and count no viewer; each request is answered like a first
 * request (302 to the playlist with a new token), as is a token issued for another channel,
 * while a real player's session keeps working.
 */
@NeedsFfmpeg
class ForgedSessionTokensIT {
    private static final int FORGED = 2000;
    private static final int IN_FLIGHT = 8;

    /** Sees the redirects rather than following them. */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void twoThousandMadeUpTokensOpenNoSessionAndAreAnsweredLikeAFirstRequest() throws Exception {
        // the real player does not reload while the made-up tokens are sent: its session must outlast them
        TestServer server = TestServer.start(TestServer.testChannel("tv", 60), Map.of("session_idle_seconds", "600"));
        try (server) {
            URI player = server.openSession("tv").uri();
            SessionRegistry sessions = server.server().sessions();
            assertThat(sessions.size()).isEqualTo(1);
            assertThat(viewers(server)).isEqualTo(1);
            List<String> forged = IntStream.range(0, FORGED).mapToObj(i -> randomToken(i % 2 == 0 ? 32 : 16)).toList();

            List<HttpResponse<String>> answers = playlists(server, forged);

            Set<String> issued = new HashSet<>();
            for (int i = 0; i < FORGED; i++) {
                HttpResponse<String> r = answers.get(i);
                assertThat(r.statusCode()).as("made-up token %s: %s", forged.get(i), r.body()).isEqualTo(302);
                assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
                String location = r.headers().firstValue("Location").orElseThrow();
                assertThat(location).startsWith("index.m3u8?s=");
                String token = location.substring("index.m3u8?s=".length());
                assertThat(token).matches(SessionRegistry.TOKEN).isNotEqualTo(forged.get(i));
                assertThat(sessions.issued(token, "tv")).isTrue();
                issued.add(token);
            }
            assertThat(issued).as("a new token for each").hasSize(FORGED);
            assertThat(sessions.size()).as("sessions").isEqualTo(1);
            assertThat(forged).noneMatch(t -> sessions.find(t).isPresent());
            assertThat(viewers(server)).isEqualTo(1);
            String foreign = sessions.issue("radio");
            HttpResponse<String> elsewhere = send(URI.create(server.url() + "/live/tv/index.m3u8?s=" + foreign));
            assertThat(elsewhere.statusCode()).as("a token issued for another channel").isEqualTo(302);
            assertThat(elsewhere.headers().firstValue("Location").orElseThrow()).doesNotContain(foreign);
            assertThat(sessions.size()).isEqualTo(1);

            HttpResponse<String> reload = send(player);
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            LivePlaylist.Entry segment = LivePlaylist.parse(reload.body()).segments().getFirst();
            assertThat(server.getBytes(player.resolve(segment.uri()).toString()).statusCode()).isEqualTo(200);
            HttpResponse<String> followed = send(player.resolve("index.m3u8?s=" + issued.iterator().next()));
            assertThat(followed.statusCode()).as("a redirect followed opens a session").isEqualTo(200);
            assertThat(sessions.size()).isEqualTo(2);
            assertThat(viewers(server)).isEqualTo(2);
        }
        assertThat(server.processPids()).as("processes left after the server stopped").isEmpty();
    }

    /** The channel's playlist with each token, {@value #IN_FLIGHT} requests at a time; answers in token order. */
    private List<HttpResponse<String>> playlists(TestServer server, List<String> tokens) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT)) {
            List<Future<HttpResponse<String>>> calls = tokens.stream()
                    .map(t -> threads.submit(() -> send(URI.create(server.url() + "/live/tv/index.m3u8?s=" + t))))
                    .toList();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
            return answers;
        }
    }

    private HttpResponse<String> send(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int viewers(TestServer server) {
        HttpResponse<String> stream = server.get("/api/streams/tv");
        assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
        return ResponseJson.of(stream).get("viewers").asInt();
    }

    /** A well-formed token the server never issued: random bytes, base64url. */
    private static String randomToken(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
