package dev.headend.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.HeadendServer;
import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.pipeline.OrphanReaper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;

/**
 * A real Headend server on a random loopback port with its own data directory, configured
 * from YAML text, plus a small HTTP client. Close it to stop every pipeline. The server has the
 * admin token {@link #ADMIN_TOKEN} (unless the test sets another), and the client sends it with
 * every request to an admin path ({@code /api/...}, {@code /metrics}) that carries none;
 * {@link #anonymous} sends a request as it is.
 */
public final class TestServer implements AutoCloseable {
    /** The admin token of test servers. */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    /** The longest a request of {@link #send} and {@link #get} may take, answer body included. */
    private static final Duration WHOLE_EXCHANGE = Duration.ofSeconds(90);

    /** A small, cheap test-pattern channel definition for YAML configurations. */
    public static String testChannel(String id) {
        return """
                  - id: %s
                    name: Test %s
                    source: "test:"
                    profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
                """.formatted(id, id);
    }

    /** {@link #testChannel(String)} that keeps running for {@code lingerSeconds} after its last viewer. */
    public static String testChannel(String id, int lingerSeconds) {
        return testChannel(id) + "    linger_seconds: " + lingerSeconds + "\n";
    }

    /** Longer than a pipeline's SIGTERM grace period plus reaping. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Path configFile;
    private final Map<String, String> settings;
    private final HeadendServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private TestServer(Path dataDir, Path configFile, Map<String, String> settings, HeadendServer server) {
        this.dataDir = dataDir;
        this.configFile = configFile;
        this.settings = settings;
        this.server = server;
    }

    private static String yaml(Map<String, String> settings, String channelsYaml) {
        StringBuilder yaml = new StringBuilder("server:\n");
        settings.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        return yaml.append("channels:\n").append(channelsYaml).toString();
    }

    /**
     * Starts a server whose configuration is {@code channelsYaml} (the list items under
     * {@code channels:}) with extra server settings (YAML keys to values).
     */
    public static TestServer start(String channelsYaml, Map<String, String> serverSettings) {
        return start(channelsYaml, serverSettings, "");
    }

    /** {@link #start(String, Map)} with more top-level YAML after the channels (a {@code webhooks:} list, say). */
    public static TestServer start(String channelsYaml, Map<String, String> serverSettings, String moreYaml) {
        return start(channelsYaml, serverSettings, moreYaml, Map.of());
    }

    /**
     * {@link #start(String, Map)} with these environment variables ({@code HEADEND_...}); give
     * {@code data_dir} in the settings to start again on the same store.
     */
    public static TestServer startWithEnvironment(String channelsYaml, Map<String, String> serverSettings,
            Map<String, String> environment) {
        return start(channelsYaml, serverSettings, "", environment);
    }

    private static TestServer start(String channelsYaml, Map<String, String> serverSettings, String moreYaml,
            Map<String, String> environment) {
        try {
            Path dir = Files.createTempDirectory("headend-test");
            Map<String, String> settings = new HashMap<>(serverSettings);
            settings.putIfAbsent("port", "0");
            settings.putIfAbsent("data_dir", dir.resolve("data").toString());
            settings.putIfAbsent("admin_token", ADMIN_TOKEN);
            Path file = dir.resolve("headend.yml");
            Files.writeString(file, yaml(settings, channelsYaml) + moreYaml);
            ConfigLoader loader = new ConfigLoader(environment);
            HeadendConfig config = loader.load(file);
            HeadendServer server = new HeadendServer(config, loader);
            server.start();
            return new TestServer(config.settings().dataDir().toAbsolutePath().normalize(), file, Map.copyOf(settings),
                    server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start test server", e);
        }
    }

    public static TestServer start(String channelsYaml) {
        return start(channelsYaml, Map.of());
    }

    public HeadendServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The YAML file the server was started from (and reloads). */
    public Path configFile() {
        return configFile;
    }

    /** Rewrites the configuration file with new channels and the server settings it started with. */
    public void rewriteChannels(String channelsYaml) {
        rewriteConfig(yaml(settings, channelsYaml));
    }

    /** Replaces the configuration file's whole text. */
    public void rewriteConfig(String yamlText) {
        try {
            Files.writeString(configFile, yamlText);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server settings the server was started with, as written in its YAML. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Pids of the live pipeline processes this server started (found by their marker; tool runs excluded). */
    public List<Long> pipelinePids() {
        return OrphanReaper.findPipelines(dataDir.toString());
    }

    /** Pids of every live process this server started: pipelines and tool runs. */
    public List<Long> processPids() {
        return OrphanReaper.find(dataDir.toString());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    /**
     * Opens an HLS session on the channel (starting it) as a player does: the first playlist,
     * which must answer 200 at the tokenized URL the request was redirected to.
     */
    public HttpResponse<String> openSession(String channelId) {
        HttpResponse<String> first = get("/live/" + channelId + "/index.m3u8");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.uri().getQuery()).startsWith("s=");
        return first;
    }

    public HttpResponse<byte[]> getBytes(String pathOrUrl) {
        String u = pathOrUrl.startsWith("http") ? pathOrUrl : url() + pathOrUrl;
        try {
            return http.send(HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Sends {@code json} with {@code method} (PATCH, PUT, POST) to {@code path}. */
    public HttpResponse<String> sendJson(String method, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).DELETE());
    }

    /** Sends the request, with the admin token when it goes to an admin path and carries no Authorization. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        String path = built.uri().getPath();
        boolean admin = path.startsWith("/api/") || path.equals("/metrics");
        if (admin && built.headers().firstValue("Authorization").isEmpty()) {
            built = HttpRequest.newBuilder(built, (name, value) -> true)
                    .header("Authorization", "Bearer " + settings.getOrDefault("admin_token", ADMIN_TOKEN)).build();
        }
        return exchange(built);
    }

    /** Sends the request as it is: no admin token is added. */
    public HttpResponse<String> anonymous(HttpRequest.Builder request) {
        return exchange(request.timeout(Duration.ofSeconds(30)).build());
    }

    /**
     * Sends and reads the whole answer within {@link #WHOLE_EXCHANGE}: the request's timeout only
     * bounds the wait for the headers, so an endless body (a continuous TS) would otherwise hang
     * the test instead of failing it.
     */
    private HttpResponse<String> exchange(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(WHOLE_EXCHANGE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IllegalStateException(request.method() + " " + request.uri() + " was not answered whole within "
                    + WHOLE_EXCHANGE.toSeconds() + " s (an endless body?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer read off a raw socket: status, headers (names in lower case) and body. */
    public record RawResponse(int status, Map<String, String> headers, String body) {
        /** The body as JSON. */
        public JsonNode json() {
            return ResponseJson.of(body);
        }
    }

    /**
     * Sends a request as it is, byte for byte (for targets and headers an HTTP client would
     * refuse or normalise), and reads the answer until the server closes the connection. It
     * carries {@code Host: 127.0.0.1} unless {@code headers} name another, and the admin token
     * when the target is an admin path and {@code headers} hold no Authorization.
     */
    public RawResponse sendRaw(String method, String target, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (all.stream().noneMatch(h -> h.regionMatches(true, 0, "Host:", 0, 5))) {
            all.addFirst("Host: 127.0.0.1");
        }
        if ((target.startsWith("/api") || target.startsWith("/metrics"))
                && all.stream().noneMatch(h -> h.regionMatches(true, 0, "Authorization:", 0, 14))) {
            all.add("Authorization: Bearer " + settings.getOrDefault("admin_token", ADMIN_TOKEN));
        }
        String request = method + " " + target + " HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n"
                + String.join("", all.stream().map(h -> h + "\r\n").toList()) + "\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] headAndBody = text.split("\r\n\r\n", 2);
            String[] lines = headAndBody[0].split("\r\n");
            Map<String, String> headerMap = new LinkedHashMap<>();
            Arrays.stream(lines).skip(1).map(l -> l.split(":", 2)).filter(h -> h.length == 2)
                    .forEach(h -> headerMap.put(h[0].trim().toLowerCase(Locale.ROOT), h[1].trim()));
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headerMap,
                    headAndBody.length > 1 ? headAndBody[1] : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every running stream through the API and waits until no pipeline process is left. */
    public void stopAllStreams() {
        server.streams().all().forEach(s -> post("/api/streams/" + s.id() + "/stop"));
        Awaitility.await().atMost(STOP_LIMIT).until(() -> pipelinePids().isEmpty());
    }

    public HttpClient client() {
        return http;
    }

    @Override
    public void close() {
        server.stop();
    }
}
