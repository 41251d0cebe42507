package dev.headend.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One event in its envelope, as stored and delivered: {@code {"event_id", "sequence", "type",
 * "time", "channel_id", "node", "data"}}.
 *
 * @param sequence per server, strictly increasing in the order events were stored
 * @param channelId empty for events about the server (a reload, a webhook test)
 */
public record Event(UUID eventId, long sequence, Instant time, Optional<String> channelId, String node,
        EventData data) {
    public String type() {
        return EventData.type(data);
    }

    /** The envelope as a JSON object. */
    public ObjectNode toJson() {
        ObjectNode o = Events.JSON.createObjectNode();
        o.put("event_id", eventId.toString());
        o.put("sequence", sequence);
        o.put("type", type());
        o.put("time", time.toString());
        if (channelId.isPresent()) {
            o.put("channel_id", channelId.get());
        } else {
            o.putNull("channel_id");
        }
        o.put("node", node);
        o.set("data", Events.JSON.valueToTree(data));
        return o;
    }
}
