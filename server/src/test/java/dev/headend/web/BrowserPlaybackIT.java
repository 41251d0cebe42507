package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.headend.support.Chromium;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real browser (the system Chromium driven by Playwright) against a real server: the player
 * page plays a live channel with hls.js as one session, keeps playing while the channel's FFmpeg
 * is killed (restart cooldown off, so the kills fit in a short test), and the dashboard lists
 * the channels.
 */
@NeedsBrowser
class BrowserPlaybackIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final int KILLS = 2;
    @AutoClose
    private static TestServer server;
    @AutoClose
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("alpha") + TestServer.testChannel("beta", 120)
                        + TestServer.testChannel("gamma"),
                Map.of("restart_cooldown_seconds", "0"));
        chromium = Chromium.launch();
    }

    @Test
    void playerPlaysTheLiveChannelAsOneSession() throws Exception {
        try (BrowserContext context = chromium.browser().newContext()) {
            Page page = context.newPage();
            String playlist = server.url() + "/live/alpha/index.m3u8";
            List<String> playlistRequests = new CopyOnWriteArrayList<>();
            page.onRequest(r -> {
                if (r.url().startsWith(playlist)) {
                    playlistRequests.add(r.url());
                }
            });

            page.navigate(server.url() + "/web/player.html?src=/live/alpha/index.m3u8");

            double playing = await().atMost(BOUND).pollInSameThread()
                    .until(() -> currentTime(page), t -> t > 0);
            await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > playing + 3);
            assertThat(page.evaluate("window.playerState.fatal")).isNull();
            await().atMost(BOUND).pollInSameThread()
                    .until(() -> playlistRequests.stream().filter(u -> u.contains("?s=")).count() >= 4);
            assertThat(playlistRequests.getFirst()).isEqualTo(playlist);
            List<String> reloads = playlistRequests.subList(1, playlistRequests.size());
            assertThat(reloads).allMatch(u -> u.contains("?s="));
            assertThat(reloads.stream().map(u -> u.substring(u.indexOf("?s=") + 3)).distinct()).hasSize(1);
            assertThat(ResponseJson.of(server.get("/api/streams/alpha")).get("viewers").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void playerKeepsPlayingAcrossKilledPipelines() {
        try (BrowserContext context = chromium.browser().newContext()) {
            Page page = context.newPage();

            page.navigate(server.url() + "/web/player.html?src=/live/gamma/index.m3u8");

            await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > 1);
            long previous = -1;
            for (int kill = 1; kill <= KILLS; kill++) {
                long pid = Streams.awaitReplacementPid(server, "gamma", previous, BOUND);
                double before = currentTime(page);

                assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

                await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > before + 5);
                previous = pid;
            }
            List<?> errors = (List<?>) page.evaluate("window.playerState.errors");
            System.out.printf("hls.js across %d killed pipelines: %d non-fatal error(s) %s%n", KILLS, errors.size(),
                    errors);
            assertThat(page.evaluate("window.playerState.fatal")).isNull();
            assertThat(ResponseJson.of(server.get("/api/streams/gamma")).path("restarts").asInt()).isEqualTo(KILLS);
        }
    }

    @Test
    void dashboardAsksForTheTokenOnceThenListsEveryChannelAndReloadsTheConfiguration() throws Exception {
        assertThat(server.post("/api/streams/beta/start?wait=ready").statusCode()).isEqualTo(200);
        try (BrowserContext context = chromium.browser().newContext(
                new Browser.NewContextOptions().setViewportSize(1280, 720))) {
            Page page = context.newPage();

            page.navigate(server.url() + "/");
            await().atMost(BOUND).pollInSameThread().until(() -> page.isVisible("#login"));
            assertThat(page.locator("article.card").count()).isZero();
            page.fill("#login-token", "a-wrong-token-of-some-length");
            page.click("#login button[type=submit]");
            await().atMost(BOUND).pollInSameThread()
                    .until(() -> page.textContent("#login-error"), t -> t.startsWith("invalid_token: "));
            page.fill("#login-token", TestServer.ADMIN_TOKEN);
            page.click("#login button[type=submit]");

            await().atMost(BOUND).pollInSameThread()
                    .until(() -> page.locator("article.card[data-channel=beta] .state.running").count() == 1);
            assertThat(page.locator("article.card").evaluateAll("cards => cards.map(c => c.dataset.channel)"))
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .containsExactlyInAnyOrder("alpha", "beta", "gamma");
            page.click("#reload");
            await().atMost(BOUND).pollInSameThread()
                    .until(() -> page.textContent("#reload-status"), t -> t.equals("reloaded: no changes"));
            Path screenshot = Path.of("target", "dashboard.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
            assertThat(Files.size(screenshot)).isPositive();
            String config = Files.readString(server.configFile());
            server.rewriteConfig(config + "    colour: red\n");
            page.click("#reload");
            await().atMost(BOUND).pollInSameThread()
                    .until(() -> page.textContent("#reload-status"), t -> t.startsWith("invalid_config: "));
            assertThat(page.getAttribute("#reload-status", "class")).isEqualTo("error");
            assertThat(page.locator("article.card").count()).isEqualTo(3);
            server.rewriteConfig(config);
            page.reload();
            await().atMost(BOUND).pollInSameThread().until(() -> page.locator("article.card").count() == 3);
            assertThat(page.isVisible("#login")).as("the tab keeps the token").isFalse();
        }
    }

    private static double currentTime(Page page) {
        return ((Number) page.evaluate("document.getElementById('video').currentTime")).doubleValue();
    }
}
