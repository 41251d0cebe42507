package dev.headend.support;

import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The system Chromium ({@code /usr/bin/chromium}, never a downloaded browser) driven by
 * Playwright, headless, with the flags it needs when run as root in a container. Closing it
 * ends the browser and Playwright's driver.
 */
public final class Chromium implements AutoCloseable {
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** @param extraFlags more command-line flags, such as a fake camera's */
    public static Chromium launch(String... extraFlags) {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        List<String> flags = new ArrayList<>(FLAGS);
        flags.addAll(List.of(extraFlags));
        try {
            return new Chromium(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true).setArgs(flags)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    public Browser browser() {
        return browser;
    }

    /**
     * Opens the dashboard of the server at {@code baseUrl} in a new page, signs in with the test
     * server's admin token and waits (up to {@code bound}) until the sign-in form is gone.
     */
    public static Page signIn(BrowserContext context, String baseUrl, Duration bound) {
        Page page = context.newPage();
        page.navigate(baseUrl + "/");
        await().atMost(bound).pollInSameThread().until(() -> page.isVisible("#login"));
        page.fill("#login-token", TestServer.ADMIN_TOKEN);
        page.click("#login button[type=submit]");
        await().atMost(bound).pollInSameThread().until(() -> !page.isVisible("#login"));
        return page;
    }

    @Override
    public void close() {
        playwright.close();
    }
}
