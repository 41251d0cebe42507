/**
 * The event feeds and webhook routes: {@code GET /api/events} (Server-Sent Events), {@code
 * /ws/events} (WebSocket, same contents), {@code GET /api/events/history}, {@code GET
 * /api/webhooks} and {@code POST /api/webhooks/{id}/test}. Admin access.
 */
package dev.headend.web.events;
