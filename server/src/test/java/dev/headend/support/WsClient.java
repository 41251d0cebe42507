package dev.headend.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A WebSocket client for relay tests (the JDK's): it records every text message (as JSON), every
 * binary frame (decoded from the relay's framing, with the local receive time), and the close.
 * Created reading; {@link #stopReading} makes it stop asking for messages, as a frozen viewer
 * would, so the server's sends back up.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    /** One frame as a viewer received it. */
    public record Received(String streamId, long sequence, long serverMillis, long receivedNanos, byte[] image) {}

    public final List<JsonNode> texts = new CopyOnWriteArrayList<>();
    public final List<Received> frames = new CopyOnWriteArrayList<>();
    public final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private volatile String closeReason = "";
    private volatile boolean reading = true;
    private final StringBuilder textPart = new StringBuilder();
    private final ByteArrayOutputStream binaryPart = new ByteArrayOutputStream();
    private WebSocket socket;

    private WsClient() {}

    /** Connects, or throws the handshake's failure (an {@link ExecutionException} whose cause says why). */
    public static WsClient connect(String url) throws ExecutionException, InterruptedException, TimeoutException {
        WsClient c = new WsClient();
        c.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), c).get(20, TimeUnit.SECONDS);
        return c;
    }

    /** The ws:// URL of {@code path} on the server. */
    public static String url(TestServer server, String path) {
        return server.url().replaceFirst("^http", "ws") + path;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        textPart.append(data);
        if (last) {
            texts.add(ResponseJson.of(textPart.toString()));
            textPart.setLength(0);
        }
        more(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] part = new byte[data.remaining()];
        data.get(part);
        binaryPart.writeBytes(part);
        if (last) {
            long now = System.nanoTime();
            ByteBuffer b = ByteBuffer.wrap(binaryPart.toByteArray());
            binaryPart.reset();
            if (b.get() != 1) {
                throw new IllegalStateException("unknown framing version");
            }
            byte[] id = new byte[b.get()];
            b.get(id);
            long sequence = b.getLong();
            long millis = b.getLong();
            byte[] image = new byte[b.remaining()];
            b.get(image);
            frames.add(new Received(new String(id, StandardCharsets.US_ASCII), sequence, millis, now, image));
        }
        more(webSocket);
        return null;
    }

    private void more(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(new int[] {statusCode});
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new int[] {-1});
    }

    /** Stops asking for messages: what the server sends piles up in the sockets. */
    public void stopReading() {
        reading = false;
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The close code once closed (-1: the connection broke), awaited. */
    public int awaitClose() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
        return closed.join()[0];
    }

    public String closeReason() {
        return closeReason;
    }

    /** The text messages of a type, in order. */
    public List<JsonNode> ofType(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : texts) {
            if (t.path("type").asText().equals(type)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Waits for a text message matching {@code test} and returns it. */
    public JsonNode awaitText(Predicate<JsonNode> test) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> texts.stream().filter(test).findFirst().orElse(null), t -> t != null);
    }

    public JsonNode awaitType(String type) {
        return awaitText(t -> t.path("type").asText().equals(type));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
