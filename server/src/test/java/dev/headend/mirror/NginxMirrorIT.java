package dev.headend.mirror;

import static dev.headend.support.Streams.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.support.FreePorts;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.Project;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented nginx set-up (docs/nginx/headend-mirror.conf, used as shipped with its four
 * marked values filled in) with the real nginx: nginx serves the mirror directory, its first
 * request starts the channel through the heartbeat, every request keeps the stream running, and
 * the stream stops {@code linger_seconds} after nginx's last request.
 */
@NeedsFfmpeg
class NginxMirrorIT {
    private static final String NGINX = "/usr/sbin/nginx";
    private static final int LINGER_SECONDS = 3;

    @TempDir
    Path work;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void nginxServesTheMirrorAndItsViewersKeepTheStreamRunningUntilTheyLeave() throws Exception {
        Path mirror = work.resolve("mirror");
        try (TestServer server = TestServer.start(TestServer.testChannel("cam", LINGER_SECONDS),
                Map.of("hls_mirror_dir", mirror.toString()));
                Nginx nginx = Nginx.start(work, mirror, server.port())) {
            assertThat(server.get("/api/streams/cam").statusCode()).as("nothing runs before a viewer").isEqualTo(404);

            HttpResponse<String> first = get(nginx.url("/hls/cam/index.m3u8"));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
            assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
            LivePlaylist playlist = LivePlaylist.parse(first.body());
            assertThat(playlist.segments()).as("the first request waited for the first segment").isNotEmpty();
            long pid = Streams.runningPid(server, "cam");

            // a viewer watching through nginx for longer than the linger time
            Instant until = Instant.now().plusSeconds(3L * LINGER_SECONDS);
            long fetched = -1;
            Path last = work.resolve("last.ts");
            while (Instant.now().isBefore(until)) {
                LivePlaylist p = LivePlaylist.parse(get(nginx.url("/hls/cam/index.m3u8")).body());
                LivePlaylist.Entry newest = p.segments().getLast();
                if (newest.sequence() != fetched) {
                    HttpResponse<byte[]> segment = client.send(HttpRequest.newBuilder(
                            URI.create(nginx.url("/hls/cam/" + newest.uri()))).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(segment.statusCode()).isEqualTo(200);
                    assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/mp2t");
                    Files.write(last, segment.body());
                    fetched = newest.sequence();
                }
                await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
            }
            assertThat(Streams.stream(server, "cam").get("pid").asLong()).as("the same pipeline throughout")
                    .isEqualTo(pid);
            ToolRun probe = ToolRun.succeed("ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                    "-of", "csv=p=0", last.toString());
            assertThat(probe.stdout()).contains("h264");

            // the viewer leaves: the stream stops after the linger time, and its mirror goes
            await().atMost(START).until(() -> server.get("/api/streams/cam").statusCode() == 404);
            await().atMost(START).until(() -> !Files.exists(mirror.resolve("cam")));
            assertThat(get(nginx.url("/hls/unknown/index.m3u8")).statusCode()).as("an unknown channel")
                    .isNotEqualTo(200);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(START).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** nginx in the foreground as one process, with the documented configuration. */
    private record Nginx(Process process, int port) implements AutoCloseable {
        static Nginx start(Path work, Path mirror, int headendPort) throws IOException {
            int port = FreePorts.any();
            String site = Files.readString(Project.file("docs/nginx/headend-mirror.conf"))
                    .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                    .replace("/var/lib/headend/mirror", mirror.toString())
                    .replace("127.0.0.1:8080", "127.0.0.1:" + headendPort)
                    .replace("CHANGE_ME_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
            Path prefix = Files.createDirectories(work.resolve("nginx"));
            Files.writeString(prefix.resolve("site.conf"), site);
            Files.writeString(prefix.resolve("nginx.conf"), """
                    daemon off;
                    master_process off;
                    error_log stderr warn;
                    pid %1$s/nginx.pid;
                    events { worker_connections 256; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        include %1$s/site.conf;
                    }
                    """.formatted(prefix));
            Process process = new ProcessBuilder(NGINX, "-p", prefix.toString(), "-c",
                    prefix.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            Nginx nginx = new Nginx(process, port);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                assertThat(process.isAlive()).as(() -> log(prefix)).isTrue();
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            return nginx;
        }

        private static String log(Path prefix) {
            try {
                return Files.readString(prefix.resolve("nginx.log"));
            } catch (IOException e) {
                return e.toString();
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
