package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.TestServer.RawResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile paths, query strings and Range headers, sent byte for byte to a real server, get a
 * JSON error (or a valid answer): never a 500, never HTML or a stack trace, and they start
 * nothing.
 */
@NeedsFfmpeg
class HostileRequestsIT {
    @AutoClose
    private static TestServer server;
    private static long spawnedAtStart;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("ok"));
        spawnedAtStart = server.server().pool().stats().spawned();
    }

    @AfterEach
    void nothingStarted() {
        assertThat(server.server().pool().stats().spawned()).as("no process started").isEqualTo(spawnedAtStart);
        assertThat(server.server().streams().channels().all()).hasSize(1);
    }

    static Stream<String> hostileTargets() {
        return Stream.of(
                // traversal, encoded slashes and dots, path parameters
                "/live/..%2f..%2f..%2fetc%2fpasswd/index.m3u8", "/live/ok%2findex.m3u8", "/live/ok/..%2F..%2Fapi%2Fsystem",
                "/live/../../etc/passwd", "/live/ok/../../api/system", "/%2e%2e/%2e%2e/etc/passwd",
                "/api/channels/%2e%2e", "/live/ok/index.m3u8/..;/..;/api/system", "/live;x=1/ok/1.ts", "//healthz",
                "/healthz/", "/HEALTHZ", "/api/streams//stop", "http://evil.example/healthz",
                // bad percent-encoding and bad UTF-8
                "/live/ok/index.m3u8?s=%zz", "/live/ok/index.m3u8?s=%", "/live/ok/index.m3u8?s=%c3%28",
                "/live/%ff%fe/index.m3u8", "/api/channels/%", "/api/channels?%=", "/api/channels?&&&==&",
                "/live/\u00e9t\u00e9/index.m3u8",
                // control characters, encoded and raw
                "/live/%00/index.m3u8", "/live/a%0d%0aSet-Cookie:%20x=1/index.m3u8", "/live/a%09b.ts",
                "/live/a\u0001b/index.m3u8", "/healthz?x=\u0007",
                // overlong paths and query strings, repeated parameters
                "/live/" + "a".repeat(8_000) + "/index.m3u8", "/api/streams/" + "x".repeat(70),
                "/healthz?" + "a=1&".repeat(20_000), "/api/channels?" + "q=" + "%41".repeat(1_500),
                "/healthz?x=1&x=2&x=3", "/api/streams/ok?wait=1&wait=2&wait=%zz",
                // unknown channels and segments that cannot exist
                "/api/channels/nope", "/api/streams/nope", "/live/nope/index.m3u8", "/live/nope.ts", "/live/nope/1.ts",
                "/live/ok/-1.ts", "/live/ok/99999999999999999999999.ts", "/live/ok/abc.ts", "/live/ok/.ts",
                "/live/ok/1.ts?s=nope", "/live/ok//index.m3u8", "/live//index.m3u8", "/live/.ts");
    }

    @ParameterizedTest
    @MethodSource("hostileTargets")
    void aHostileTargetGetsAJsonErrorOrAValidAnswer(String target) {
        assertSafe(target, server.sendRaw("GET", target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=abc", "bytes=--1", "bytes=99999999999999999999-", "bytes=-0", "items=0-1",
            "bytes=5-1", "bytes=0-1,2-3", "bytes=\u0001", "bytes=-99999999999999999999", "bytes=0-0-0", ""})
    void aGarbageRangeHeaderGetsAJsonErrorOrAValidAnswer(String range) {
        for (String target : List.of("/live/ok/1.ts", "/live/nope/1.ts", "/live/ok/abc.ts", "/healthz")) {
            assertSafe(target + " Range: " + range, server.sendRaw("GET", target, "Range: " + range));
        }
    }

    /** Random targets from a fixed seed, so that a failure repeats. */
    @Test
    void randomTargetsNeverGetA500OrHtml() {
        Random random = new Random(20_261_202);
        String alphabet = "/.%?&=;#+-_~:@!$'()*,aozAZ09fF\u00e9";
        List<String> prefixes = List.of("/live/", "/live/ok/", "/live/nope/", "/api/streams/", "/api/channels/",
                "/healthz", "/api/system", "/");
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder t = new StringBuilder(prefixes.get(random.nextInt(prefixes.size())));
            for (int n = random.nextInt(40); n > 0; n--) {
                t.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            targets.add(t.toString().replace("#", "%23"));
        }

        targets.forEach(t -> assertSafe(t, server.sendRaw("GET", t)));
    }

    /**
     * A valid answer (the dashboard page at {@code /} is HTML), or an error in the JSON shape;
     * never a server error, an HTML error page or a stack trace.
     */
    private static void assertSafe(String target, RawResponse r) {
        assertThat(r.status()).as("%s: %s", target, r.body()).isBetween(200, 499);
        if (r.status() >= 400) {
            assertThat(r.headers().get("content-type")).as(target).startsWith("application/json");
            JsonNode error = ResponseJson.of(r.body()).path("error");
            assertThat(error.path("code").asText()).as(target).isNotBlank();
            assertThat(error.path("message").asText()).as(target).isNotBlank();
            assertThat(r.body()).as(target).doesNotContain("<html", "<HTML");
        }
        assertThat(r.body()).as(target).doesNotContain("at org.", "at dev.", "Exception");
    }
}
