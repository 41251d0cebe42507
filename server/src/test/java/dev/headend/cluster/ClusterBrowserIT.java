package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.headend.support.Chromium;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * hls.js in Chromium plays a channel through a node that does not own it, and keeps playing
 * (no fatal error) when the owner is SIGKILLed and the node it watches through takes the channel
 * over.
 */
@NeedsFfmpeg
@NeedsBrowser
@Isolated("two server processes, a Redis and a browser: they load the machine")
class ClusterBrowserIT {
    private static final Duration BOUND = Duration.ofSeconds(90);

    @Test
    void hlsJsPlaysThroughANonOwnerAndKeepsPlayingWhenTheOwnerIsKilled() throws Exception {
        try (RedisProcess redis = new RedisProcess().start();
                NodeProcess owner = NodeProcess.start("node-1", Map.of("redis_url", redis.url(),
                        "lease_ttl_seconds", "4s"), TestServer.testChannel("tv", 600));
                NodeProcess viewer = NodeProcess.start("node-2", Map.of("redis_url", redis.url(),
                        "lease_ttl_seconds", "4s"), TestServer.testChannel("tv", 600));
                Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.browser().newContext()) {
            owner.awaitRunning();
            viewer.awaitRunning();
            assertThat(owner.post("/api/streams/tv/start?wait=ready").statusCode()).isEqualTo(200);
            Page page = context.newPage();

            page.navigate(viewer.url() + "/web/player.html?src=/live/tv/index.m3u8");

            double playing = await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > 1);
            await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > playing + 3);
            assertThat(viewer.runs("tv")).as("played through node-2, run by node-1").isFalse();

            double before = currentTime(page);
            long killedAt = System.nanoTime();
            owner.kill();

            await().atMost(BOUND).pollInSameThread().alias("node-2 runs the channel").until(() -> viewer.runs("tv"));
            await().atMost(BOUND).pollInSameThread().alias("playback goes on past the takeover")
                    .until(() -> currentTime(page), t -> t > before + 8);
            List<?> errors = (List<?>) page.evaluate("window.playerState.errors");
            System.out.printf("hls.js through node-2 across the owner's SIGKILL: playing %.1f s of media %.1f s after"
                    + " the kill, %d non-fatal error(s) %s%n", currentTime(page) - before,
                    (System.nanoTime() - killedAt) / 1e9, errors.size(), errors);
            assertThat(page.evaluate("window.playerState.fatal")).isNull();
        }
    }

    private static double currentTime(Page page) {
        return ((Number) page.evaluate("document.getElementById('video').currentTime")).doubleValue();
    }
}
