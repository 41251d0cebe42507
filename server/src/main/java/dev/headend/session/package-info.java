/**
 * Viewer sessions: who watches which stream, over HLS (token in the URIs, idle expiry) or
 * continuous TS (the connection's lifetime). Viewer counts drive the streams' idle policy.
 */
package dev.headend.session;
