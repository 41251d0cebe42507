package dev.headend.web.events;

import java.io.IOException;

/** Where a feed writes: an SSE response or a WebSocket. Called from the feed's one thread. */
interface FeedSink {
    /**
     * One message.
     *
     * @param id the id a client resumes after
     * @param type the event type ({@code snapshot} and {@code gap} included)
     * @param json the message's JSON text
     */
    void send(String id, String type, String json) throws IOException;

    /** Nothing happened for a while: keeps the connection open through proxies. */
    void keepAlive() throws IOException;
}
