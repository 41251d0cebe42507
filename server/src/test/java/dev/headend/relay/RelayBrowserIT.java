package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.headend.support.Chromium;
import dev.headend.support.NeedsBrowser;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import dev.headend.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay in Chromium: the publisher page with a fake camera publishes, the watcher page shows
 * the stream live and then ended; a {@code push:} channel fed by a publisher plays in hls.js.
 */
@NeedsBrowser
class RelayBrowserIT {
    private static final Duration BOUND = Duration.ofSeconds(40);
    @AutoClose
    private static TestServer server;
    @AutoClose
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        server = TestServer.start("""
                  - id: cam
                    name: Pushed camera
                    source: "push:cam"
                    profile: {type: h264, bitrate_kbps: 300, preset: ultrafast}
                """);
        chromium = Chromium.launch("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
    }

    private static Object eval(Page page, String expression) {
        return page.evaluate(expression);
    }

    @Test
    void thePublisherPageSendsTheFakeCameraAndTheWatcherPageShowsItLiveThenEnded() {
        try (BrowserContext context = chromium.browser().newContext()) {
            Page watcher = context.newPage();
            watcher.navigate(server.url() + "/web/watch.html?ids=page");
            await().atMost(BOUND).pollInSameThread().until(() -> Boolean.TRUE.equals(eval(watcher,
                    "window.watcherState.connected")));
            assertThat(eval(watcher, "window.watcherState.streams.page.state")).isEqualTo("waiting");

            Page publisher = context.newPage();
            publisher.navigate(server.url() + "/web/publish.html?id=page&fps=10&autostart=1");

            await().atMost(BOUND).until(() -> server.server().relay().streams().stream()
                    .anyMatch(s -> s.id().equals("page") && s.framesIn() >= 10));
            assertThat(eval(publisher, "window.publisherState.source")).isEqualTo("camera");
            assertThat(eval(publisher, "window.publisherState.invalid")).isEqualTo(0);
            Relay.StreamView stream = server.server().relay().streams().stream()
                    .filter(s -> s.id().equals("page")).findFirst().orElseThrow();
            assertThat(stream.width()).isPositive();
            assertThat(stream.height()).isPositive();
            await().atMost(BOUND).pollInSameThread().until(() -> "live".equals(eval(watcher,
                    "window.watcherState.streams.page.state")) && ((Number) eval(watcher,
                    "window.watcherState.streams.page.frames")).intValue() >= 5);

            publisher.close();

            await().atMost(BOUND).pollInSameThread().until(() -> "ended".equals(eval(watcher,
                    "window.watcherState.streams.page.state")));
            assertThat(eval(watcher, "window.watcherState.streams.page.reason")).isEqualTo("closed");
        }
    }

    @Test
    void aPushChannelPlaysInHlsJs() throws Exception {
        Path dir = Files.createTempDirectory("relay-frames");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x180:rate=15", "-frames:v", "45", "-q:v", "6", dir.resolve("f%03d.jpg").toString());
        List<byte[]> frames;
        try (Stream<Path> files = Files.list(dir)) {
            frames = files.sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        AtomicBoolean publishing = new AtomicBoolean(true);
        try (WsClient publisher = WsClient.connect(WsClient.url(server, "/ws/publish/cam"));
                BrowserContext context = chromium.browser().newContext()) {
            publisher.awaitType("publishing");
            Thread feeder = Thread.ofVirtual().start(() -> {
                int i = 0;
                while (publishing.get()) {
                    publisher.sendBinary(frames.get(i++ % frames.size()));
                    try {
                        Thread.sleep(66); // about 15 fps, the publisher's own pace
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                Page page = context.newPage();
                page.navigate(server.url() + "/web/player.html?src=/live/cam/index.m3u8");
                double playing = await().atMost(BOUND).pollInSameThread()
                        .until(() -> ((Number) page.evaluate("document.getElementById('video').currentTime"))
                                .doubleValue(), t -> t > 0);
                await().atMost(BOUND).pollInSameThread()
                        .until(() -> ((Number) page.evaluate("document.getElementById('video').currentTime"))
                                .doubleValue(), t -> t > playing + 2);
                assertThat(page.evaluate("window.playerState.fatal")).isNull();
            } finally {
                publishing.set(false);
                feeder.join();
            }
        }
    }
}
