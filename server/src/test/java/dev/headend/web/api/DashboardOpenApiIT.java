package dev.headend.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import dev.headend.support.Chromium;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's API button downloads the OpenAPI document with the admin token the tab holds
 * (a plain link would get 401), in Chromium driven by Playwright.
 */
@NeedsBrowser
class DashboardOpenApiIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    @AutoClose
    private static TestServer server;
    @AutoClose
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("one"));
        chromium = Chromium.launch();
    }

    @Test
    void theApiButtonDownloadsTheDocumentWithTheTabsToken() throws Exception {
        try (BrowserContext context = chromium.browser().newContext(
                new Browser.NewContextOptions().setAcceptDownloads(true))) {
            Page page = Chromium.signIn(context, server.url(), BOUND);
            await().atMost(BOUND).pollInSameThread().until(() -> page.locator("article.card").count() == 1);

            Download download = page.waitForDownload(
                    new Page.WaitForDownloadOptions().setTimeout(BOUND.toMillis()), () -> page.click("#openapi"));

            assertThat(download.suggestedFilename()).isEqualTo("headend-openapi.json");
            JsonNode saved = ResponseJson.of(Files.readString(download.path()));
            assertThat(saved).isEqualTo(OpenApiDocument.read());
            assertThat(page.isVisible("#login")).isFalse();
        }
    }
}
