package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Page;
import dev.headend.support.Chromium;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's channel form in a real browser: the server's validation message is shown and
 * nothing is created; a channel created from the form is stored and plays in its preview; the
 * file's channels have no Edit or Delete; an edit based on an old version is refused with the
 * server's message; Delete removes the channel.
 */
@NeedsBrowser
class ChannelFormIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    @AutoClose
    private static TestServer server;
    @AutoClose
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("filed"));
        chromium = Chromium.launch();
    }

    @Test
    void aChannelCreatedFromTheFormPlaysInItsPreview() throws Exception {
        try (BrowserContext context = chromium.browser().newContext(
                new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page page = signedIn(context);
            await().atMost(BOUND).pollInSameThread()
                    .until(() -> page.locator("article.card[data-channel=filed]").count() == 1);
            assertThat(page.textContent("article.card[data-channel=filed] .origin")).isEqualTo("file · read-only");
            assertThat(page.locator("article.card[data-channel=filed] button:text-is('Edit')").count()).isZero();

            page.click("#add-channel");
            page.fill("#channel-id", "formed");
            page.fill("#channel-name", "Made in the form");
            page.fill("#channel-sources", "test:");
            page.selectOption("#channel-profile", "h264");
            page.fill("#channel-width", "320");
            page.fill("#channel-height", "180");
            page.fill("#channel-fps", "25");
            page.fill("#channel-bitrate_kbps", "1");
            page.selectOption("#channel-preset", "ultrafast");
            page.click("#channel-save");

            await().atMost(BOUND).pollInSameThread().until(() -> page.textContent("#channel-form-error"),
                    t -> t.contains("bitrate_kbps must be between 64 and 100000, got 1"));
            assertThat(page.getAttribute("#channel-bitrate_kbps", "aria-invalid")).isEqualTo("true");
            assertThat(server.get("/api/channels/formed").statusCode()).as("nothing created").isEqualTo(404);
            Path screenshot = Path.of("target", "channel-form.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshot));
            assertThat(Files.size(screenshot)).isPositive();

            page.fill("#channel-bitrate_kbps", "300");
            page.click("#channel-save");

            await().atMost(BOUND).pollInSameThread()
                    .until(() -> page.locator("article.card[data-channel=formed]").count() == 1);
            JsonNode stored = ResponseJson.of(server.get("/api/channels/formed"));
            assertThat(stored.get("origin").asText()).isEqualTo("api");
            assertThat(stored.get("name").asText()).isEqualTo("Made in the form");
            assertThat(stored.at("/profile/bitrate_kbps").asInt()).isEqualTo(300);
            assertThat(page.textContent("article.card[data-channel=formed] .origin")).isEqualTo("api");

            page.click("article.card[data-channel=formed] button:text-is('Preview')");
            double playing = await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > 0);
            await().atMost(BOUND).pollInSameThread().until(() -> currentTime(page), t -> t > playing + 3);
        }
    }

    @Test
    void anEditShowsAChangeMadeMeanwhileAndADeleteRemovesTheChannel() {
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/channels"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"edited\", \"source\": \"test:\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        try (BrowserContext context = chromium.browser().newContext()) {
            Page page = signedIn(context);
            String card = "article.card[data-channel=edited]";
            await().atMost(BOUND).pollInSameThread().until(() -> page.locator(card).count() == 1);

            openEditForm(page, card);
            assertThat(page.inputValue("#channel-id")).isEqualTo("edited");
            assertThat(page.getAttribute("#channel-id", "readonly")).isNotNull();
            page.fill("#channel-name", "First edit");
            page.click("#channel-save");
            await().atMost(BOUND).pollInSameThread().until(() -> ResponseJson.of(server.get("/api/channels/edited"))
                    .get("name").asText().equals("First edit"));

            openEditForm(page, card);
            HttpResponse<String> meanwhile = server.send(HttpRequest.newBuilder(URI.create(server.url()
                    + "/api/channels/edited")).PUT(HttpRequest.BodyPublishers.ofString(
                            "{\"name\": \"Changed elsewhere\", \"source\": \"test:\"}")));
            assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(200);
            page.fill("#channel-name", "Second edit");
            page.click("#channel-save");
            await().atMost(BOUND).pollInSameThread().until(() -> page.textContent("#channel-form-error"),
                    t -> t.startsWith("channel edited changed since"));
            assertThat(ResponseJson.of(server.get("/api/channels/edited")).get("name").asText())
                    .isEqualTo("Changed elsewhere");
            page.click("#channel-form button:text-is('Cancel')");

            page.onDialog(Dialog::accept);
            page.click(card + " button:text-is('Delete')");
            await().atMost(BOUND).pollInSameThread().until(() -> page.locator(card).count() == 0);
            assertThat(server.get("/api/channels/edited").statusCode()).isEqualTo(404);
        }
    }

    private static Page signedIn(BrowserContext context) {
        Page page = Chromium.signIn(context, server.url(), BOUND);
        await().atMost(BOUND).pollInSameThread().until(() -> page.locator("article.card").count() > 0);
        return page;
    }

    private static double currentTime(Page page) {
        return ((Number) page.evaluate("document.getElementById('video').currentTime")).doubleValue();
    }

    /**
     * Clicks the card's Edit until the form shows: the dashboard redraws its cards every poll, and a
     * click that lands as a card is replaced (likelier on a loaded machine) opens nothing.
     */
    private static void openEditForm(Page page, String card) {
        await().atMost(BOUND).pollInSameThread().pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!page.isVisible("#channel-form")) {
                page.click(card + " button:text-is('Edit')");
            }
            return page.isVisible("#channel-form");
        });
    }
}
