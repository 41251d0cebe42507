/**
 * The WebSocket frame relay, free of any transport: publishers push still images (JPEG, PNG,
 * WebP) for a stream id, every viewer of that id receives them. Owns frame validation, one
 * publisher per stream, the latest-frame-wins slot and send timeout of each viewer, stalled and
 * ended publishers, keepalive deadlines, progress logs and the relay's counters. The WebSocket
 * endpoints ({@code web.relay}) adapt Jetty sessions to {@link dev.headend.relay.RelayLink}.
 */
package dev.headend.relay;
