package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.pipeline.OrphanReaper;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Headend node run as an operator runs it: {@code headend serve} in a JVM of its own (so a
 * test can SIGKILL or SIGSTOP it), on a free port, with its own data directory.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("Headend is running: (http://\\S+)/");
    /** A separate JVM's start on a loaded machine: class loading, FFmpeg check, first tick. */
    private static final Duration START_BOUND = Duration.ofSeconds(120);
    private static final Duration STOP_BOUND = Duration.ofSeconds(40);

    private final String id;
    private final Path dataDir;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final HttpClient noRedirects = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String url = "";

    private NodeProcess(String id, Path dataDir, Process process) {
        this.id = id;
        this.dataDir = dataDir;
        this.process = process;
        Thread.ofVirtual().start(this::collect);
    }

    /** Starts node {@code id} with these settings (over a free port, the test admin token) and channels. */
    static NodeProcess start(String id, Map<String, String> settings, String channelsYaml) throws IOException {
        Path dir = Files.createTempDirectory("headend-" + id);
        Path dataDir = dir.resolve("data").toAbsolutePath().normalize();
        StringBuilder yaml = new StringBuilder("server:\n  port: 0\n  data_dir: \"" + dataDir + "\"\n"
                + "  admin_token: \"" + TestServer.ADMIN_TOKEN + "\"\n  node_id: " + id + "\n");
        settings.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("channels:\n").append(channelsYaml);
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, yaml);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.headend.Headend", "serve", "--config", file.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        return new NodeProcess(id, dataDir, p);
    }

    /** Waits for the node's start-up line. */
    NodeProcess awaitRunning() {
        await().atMost(START_BOUND).alias(id + "'s start-up line").until(() -> !url.isEmpty() || !process.isAlive());
        assertThat(url).as("%s output: %s", id, output).isNotEmpty();
        return this;
    }

    String id() {
        return id;
    }

    /** The data directory, the owner mark of this node's pipeline processes. */
    Path dataDir() {
        return dataDir;
    }

    String url() {
        return url;
    }

    List<String> output() {
        return output;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    /** A GET whose redirect is the answer. */
    HttpResponse<String> getWithoutRedirect(String path) {
        try {
            return noRedirects.send(admin(HttpRequest.newBuilder(URI.create(url + path)))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(admin(HttpRequest.newBuilder(URI.create(url + path))).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A request as an admin, with a JSON body when {@code json} is not empty, and these headers. */
    HttpResponse<String> request(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + path)).method(method, json.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (!json.isEmpty()) {
            r.header("Content-Type", "application/json");
        }
        headers.forEach(r::header);
        return send(r);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(admin(request).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder admin(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
    }

    /** {@code GET /api/cluster}. */
    JsonNode cluster() {
        HttpResponse<String> r = get("/api/cluster");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResponseJson.of(r);
    }

    /** FFmpeg pipeline processes running on this node, from {@code GET /api/system}. */
    int pipelines() {
        HttpResponse<String> r = get("/api/system");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResponseJson.of(r).path("pool").path("running").asInt();
    }

    /** Whether the channel's stream runs on this node, from {@code GET /api/streams}. */
    boolean runs(String channelId) {
        HttpResponse<String> r = get("/api/streams");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode s : ResponseJson.of(r).get("streams")) {
            if (s.path("stream_id").asText().equals(channelId)) {
                return true;
            }
        }
        return false;
    }

    void signal(String name) throws IOException, InterruptedException {
        ToolRun.succeed("kill", "-" + name, Long.toString(process.pid()));
    }

    /** SIGKILL: the node dies at once, its FFmpeg children are then ended as the next start would end them. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
        OrphanReaper.reap(dataDir.toString());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        }
        OrphanReaper.reap(dataDir.toString());
    }

    private void collect() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.add(line);
                Matcher m = RUNNING.matcher(line);
                if (url.isEmpty() && m.find()) {
                    url = m.group(1);
                }
            }
        } catch (IOException closedWithTheProcess) {
            output.add("(output closed: " + closedWithTheProcess.getMessage() + ")");
        }
    }
}
