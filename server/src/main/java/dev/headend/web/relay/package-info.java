/**
 * The relay's HTTP side: the WebSocket endpoints {@code /ws/publish/{id}}, {@code /ws/watch/{id}}
 * and {@code /ws/watch} (Jetty's WebSocket support adapted to {@link dev.headend.relay.RelayLink};
 * each viewer a viewer session of protocol {@code ws}), and the admin routes under {@code
 * /api/relay}.
 */
package dev.headend.web.relay;
