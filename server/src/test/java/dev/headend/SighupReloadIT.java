package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGHUP reloads the configuration of {@code headend serve}, run as an operator runs it: a
 * separate process, its configuration file edited, then {@code kill -HUP}. A file replaced by a
 * named pipe is refused without blocking the next reload or the shutdown.
 */
@NeedsFfmpeg
class SighupReloadIT {
    private static final Pattern RUNNING = Pattern.compile("Headend is running: (http://\\S+)/");
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A separate JVM's start on a loaded machine: class loading, FFmpeg check, first tick. */
    private static final Duration START_BOUND = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newHttpClient();
    /** The token the server generated at its first start. */
    private String adminToken;

    private static String config(Path dataDir, String... ids) {
        StringBuilder yaml = new StringBuilder("server:\n  port: 0\n  data_dir: \"" + dataDir + "\"\nchannels:\n");
        for (String id : ids) {
            yaml.append("  - id: ").append(id).append("\n    source: \"test:\"\n");
        }
        return yaml.toString();
    }

    @Test
    void sighupAppliesAnEditedFileAndIgnoresABrokenOneOrANamedPipe() throws Exception {
        Path dir = Files.createTempDirectory("headend-sighup");
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, config(dir.resolve("data"), "one"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.headend.Headend", "serve", "--config", file.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> collect(server, output));
        try {
            String url = await().atMost(START_BOUND).alias("the server's start-up line")
                    .until(() -> baseUrl(output), u -> !u.isEmpty() || !server.isAlive());
            assertThat(url).as("server output: %s", output).isNotEmpty();
            adminToken = Files.readString(dir.resolve("data").resolve("admin-token")).strip();
            await().atMost(BOUND).alias("the generated token shown on the console")
                    .until(() -> output.contains("  Admin token (generated now): " + adminToken));
            assertThat(output).as("and never in a log line").filteredOn(l -> l.contains(adminToken)).hasSize(1);
            assertThat(channelIds(url)).containsExactly("one");

            Files.writeString(file, config(dir.resolve("data"), "one", "two"));
            hangUp(server.pid());
            await().atMost(BOUND).until(() -> channelIds(url).equals(List.of("one", "two")));

            Files.writeString(file, "channels: [unclosed\n");
            hangUp(server.pid());
            await().atMost(BOUND).until(() -> output.stream().anyMatch(l -> l.contains("reload refused")));
            assertThat(server.isAlive()).isTrue();
            assertThat(channelIds(url)).containsExactly("one", "two");

            Files.delete(file);
            ToolRun.succeed("mkfifo", file.toString());
            hangUp(server.pid());
            await().atMost(BOUND).until(() -> output.stream().anyMatch(l -> l.contains("is a named pipe (FIFO)")));
            Files.delete(file);
            Files.writeString(file, config(dir.resolve("data"), "one", "two", "three"));
            hangUp(server.pid());
            await().atMost(BOUND).until(() -> channelIds(url).equals(List.of("one", "two", "three")));
        } finally {
            server.destroy();
            assertThat(server.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("server stopped on SIGTERM").isTrue();
        }
        assertThat(output).anyMatch(l -> l.contains("SIGHUP: reloading " + file));
    }

    private List<String> channelIds(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/channels"))
                        .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode c : ResponseJson.of(r).get("channels")) {
            ids.add(c.get("id").asText());
        }
        return ids;
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

    private static void hangUp(long pid) throws IOException, InterruptedException {
        ToolRun.succeed("kill", "-HUP", Long.toString(pid));
    }

    /** Collects the server's output until it ends: at its end of file, or when the JDK closes the pipe of the exited process. */
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
