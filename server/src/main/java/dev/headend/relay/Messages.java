package dev.headend.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The relay's JSON text messages (snake_case), to viewers and publishers. */
final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** One entry of {@code active_streams}. */
    record ActiveStream(String id, String startedAt, double fps, int width, int height, int viewers) {}

    record ViewerConnected(String type, long viewerId, List<ActiveStream> activeStreams) {}

    record StreamStarted(String type, String streamId, String startedAt) {}

    record StreamEnded(String type, String streamId, String reason) {}

    record Publishing(String type, String streamId, int maxFrameBytes) {}

    record InvalidFrame(String type, String reason, int inRow) {}

    record Simple(String type) {}

    private Messages() {}

    static String viewerConnected(long viewerId, List<ActiveStream> streams) {
        return write(new ViewerConnected("viewer_connected", viewerId, streams));
    }

    static String streamStarted(String streamId, Instant startedAt) {
        return write(new StreamStarted("stream_started", streamId, startedAt.toString()));
    }

    static String streamEnded(String streamId, EndReason reason) {
        return write(new StreamEnded("stream_ended", streamId, reason.wire()));
    }

    static String publishing(String streamId, int maxFrameBytes) {
        return write(new Publishing("publishing", streamId, maxFrameBytes));
    }

    static String invalidFrame(String reason, int inARow) {
        return write(new InvalidFrame("invalid_frame", reason, inARow));
    }

    static String pong() {
        return write(new Simple("pong"));
    }

    /** The {@code type} of a JSON control message, empty when the text is not a JSON object with one. */
    static Optional<String> type(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() && node.path("type").isTextual()
                    ? Optional.of(node.get("type").asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message, e);
        }
    }
}
