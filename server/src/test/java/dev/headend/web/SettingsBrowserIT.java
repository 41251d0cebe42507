package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.headend.config.Setting;
import dev.headend.support.Chromium;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settings page in Chromium: the dashboard asks for the admin token and the settings page
 * uses it; an out-of-range value is refused under its field and nothing is saved; a good value is
 * saved, marked as set here, and shown again after the server restarts on the same data directory.
 */
@NeedsBrowser
class SettingsBrowserIT {
    private static final Duration BOUND = Duration.ofSeconds(40);
    private static final String CHANNEL = """
              - id: tv
                name: TV
                source: "test:"
                profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast, audio: none}
            """;
    private static Chromium chromium;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void close() {
        chromium.close();
    }

    /** Signs in on the dashboard and follows its link to the settings page. */
    private static Page settingsPage(BrowserContext context, TestServer server) {
        Page page = Chromium.signIn(context, server.url(), BOUND);
        page.click("#settings-link");
        await().atMost(BOUND).pollInSameThread().until(() -> page.isVisible("[data-key=window_segments]"));
        assertThat(page.isVisible("#login")).as("the settings page uses the dashboard's token").isFalse();
        return page;
    }

    @Test
    void anOutOfRangeValueIsRefusedInlineAndAGoodOneIsSavedAndShownAfterARestart() throws IOException {
        Map<String, String> file = Map.of("data_dir",
                Files.createTempDirectory("headend-settings-page").resolve("data").toString());
        try (TestServer server = TestServer.start(CHANNEL, file);
                BrowserContext context = chromium.browser().newContext()) {
            Page page = settingsPage(context, server);
            assertThat(page.textContent("[data-card=hls] h2")).isEqualTo("HLS buffering");
            assertThat(page.locator("[data-card]").count()).isGreaterThan(5);

            page.fill("[data-card=hls] [data-key=window_segments]", "99");
            page.click("[data-save=hls]");

            await().atMost(BOUND).pollInSameThread().until(() -> page.textContent("#error-window_segments"),
                    t -> t.contains("must be between 2 and 30, got 99"));
            assertThat(page.textContent("[data-result=hls]")).isEqualTo("nothing saved");
            assertThat(server.server().settings().wanted().api()).isEmpty();
            assertThat(server.server().streams().settings().windowSegments()).isEqualTo(6);

            page.fill("[data-card=hls] [data-key=window_segments]", "4");
            page.click("[data-save=hls]");

            await().atMost(BOUND).pollInSameThread().until(() -> page.textContent("[data-result=hls]"),
                    t -> t.startsWith("saved: window_segments"));
            assertThat(server.server().settings().wanted().api()).containsEntry(Setting.WINDOW_SEGMENTS, "4");
            assertThat(server.server().streams().settings().windowSegments()).isEqualTo(4);
            assertThat(page.textContent("[data-setting=window_segments] .marks")).contains("api");
            assertThat(page.isVisible("[data-reset=window_segments]")).isTrue();
            assertThat(page.textContent("#error-window_segments")).isEmpty();
        }
        try (TestServer again = TestServer.start(CHANNEL, file);
                BrowserContext context = chromium.browser().newContext()) {
            Page page = settingsPage(context, again);

            assertThat(page.inputValue("[data-key=window_segments]")).isEqualTo("4");
            assertThat(page.textContent("[data-setting=window_segments] .marks")).contains("api");

            page.click("[data-reset=window_segments]");

            await().atMost(BOUND).pollInSameThread().until(() -> page.textContent(
                    "[data-setting=window_segments] .marks"), t -> t.startsWith("default"));
            assertThat(page.inputValue("[data-key=window_segments]")).isEqualTo("6");
            assertThat(again.server().settings().wanted().api()).isEmpty();
        }
    }
}
