package dev.headend.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.testChannel("one"));
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    @Test
    void theApiButtonDownloadsTheDocumentWithTheTabsToken() throws Exception {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true))) {
            Page page = context.newPage();
            page.navigate(server.url() + "/");
            await().atMost(BOUND).pollInSameThread().until(() -> page.isVisible("#login"));
            page.fill("#login-token", TestServer.ADMIN_TOKEN);
            page.click("#login button[type=submit]");
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
