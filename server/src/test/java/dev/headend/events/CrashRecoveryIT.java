package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code headend serve} as a separate process, killed with SIGKILL while a stream runs and
 * webhook deliveries are pending: the next start delivers every stored event and ends the stream
 * with reason {@code crashed}. A damaged store file stops the start with a clear message.
 */
@NeedsFfmpeg
class CrashRecoveryIT {
    private static final Pattern RUNNING = Pattern.compile("Headend is running: (http://\\S+)/");
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** A separate JVM's start on a loaded machine: class loading, FFmpeg check, first tick. */
    private static final Duration START_BOUND = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestReceiver receiver = new TestReceiver();
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        receiver.close();
    }

    private record Server(Process process, String url, List<String> output) {}

    /** Starts {@code headend serve} as a child process; its output lines are collected into {@code output}. */
    private Process launch(Path config, List<String> output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.headend.Headend",
                "serve", "--config", config.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        processes.add(p);
        Thread.ofVirtual().start(() -> collect(p, output));
        return p;
    }

    private Server serve(Path config) throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        Process p = launch(config, output);
        String url;
        try {
            url = await().atMost(START_BOUND).alias("the server's start-up line")
                    .until(() -> baseUrl(output), u -> !u.isEmpty() || !p.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no start-up line within " + START_BOUND + "; server output: " + output, e);
        }
        assertThat(url).as("server output: %s", output).isNotEmpty();
        return new Server(p, url, output);
    }

    private HttpResponse<String> post(Server s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(Server s, String path) throws Exception {
        return ResponseJson.of(http.send(HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private Path config(Path dir) throws IOException {
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, """
                server:
                  port: 0
                  data_dir: "%s"
                  admin_token: %s
                  webhook_backoff_max_seconds: 1s
                webhooks:
                  - id: orchestrator
                    url: %s
                channels:
                %s""".formatted(dir.resolve("data"), TestServer.ADMIN_TOKEN, receiver.url(),
                TestServer.testChannel("cam", 600)));
        return file;
    }

    @Test
    void afterASigkillEveryStoredEventIsDeliveredAndTheRunningStreamEndsAsCrashed() throws Exception {
        Path config = config(Files.createTempDirectory("headend-crash"));
        receiver.answer(d -> d.type().equals("stream_started")
                ? new TestReceiver.Answer(200, "{\"id\": \"orc-5\"}") : new TestReceiver.Answer(200, "{}"));
        receiver.down();
        Server first = serve(config);
        assertThat(post(first, "/api/streams/cam/start?wait=ready").statusCode()).isEqualTo(200);
        int reloads = 5;
        for (int i = 0; i < reloads; i++) {
            assertThat(post(first, "/api/config/reload").statusCode()).isEqualTo(200);
        }
        await().atMost(BOUND).until(() -> get(first, "/api/events/history").get("events").size() == 1 + reloads);
        assertThat(get(first, "/api/webhooks").get("webhooks").get(0).get("pending").asLong()).isEqualTo(1 + reloads);

        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no stream_ended
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        receiver.up();
        Server second = serve(config);

        int stored = 1 + reloads + 1;
        await().atMost(BOUND).until(() -> receiver.deliveries().stream().map(TestReceiver.Delivery::eventId)
                .distinct().count() == stored);
        List<TestReceiver.Delivery> got = receiver.deliveries();
        assertThat(got).extracting(TestReceiver.Delivery::sequence).isSorted();
        assertThat(got.stream().map(TestReceiver.Delivery::sequence).distinct().toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(got.stream().map(TestReceiver.Delivery::eventId).distinct().count())
                .as("a duplicate, if any, has the same event id").isEqualTo(stored);
        TestReceiver.Delivery ended = receiver.of("stream_ended").getFirst();
        assertThat(ended.body().get("channel_id").asText()).isEqualTo("cam");
        assertThat(ended.body().get("data").get("reason").asText()).isEqualTo("crashed");
        assertThat(ended.body().get("data").get("receiver_stream_id").asText()).isEqualTo("orc-5");
        assertThat(second.output()).anyMatch(l -> l.contains("not stopped cleanly") && l.contains("cam"));
    }

    @Test
    void aDamagedStoreFileStopsTheStartSayingWhatToDo() throws Exception {
        Path dir = Files.createTempDirectory("headend-damaged");
        Path config = config(dir);
        Path store = dir.resolve("data").resolve("headend.db");
        Files.createDirectories(store.getParent());
        byte[] junk = new byte[16384];
        Arrays.fill(junk, (byte) 0x42);
        Files.write(store, junk);
        List<String> output = new CopyOnWriteArrayList<>();
        Process p = launch(config, output);

        assertThat(p.waitFor(START_BOUND.toSeconds(), TimeUnit.SECONDS)).as("exits").isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        await().atMost(BOUND).until(() -> output.stream().anyMatch(l -> l.contains("damaged")));
        assertThat(String.join("\n", output)).contains("headend: store: the store file " + store)
                .contains("mv " + store + " " + store + ".damaged");
        assertThat(Files.readAllBytes(store)).as("left as it was").isEqualTo(junk);
    }

    private static String baseUrl(List<String> output) {
        for (String line : output) {
            Matcher m = RUNNING.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "";
    }

    private static void collect(Process p, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException closedWithTheProcess) {
            lines.add("(output closed: " + closedWithTheProcess.getMessage() + ")");
        }
    }
}
