/**
 * Viewer sessions: who watches which stream, over HLS (a server-issued token in the URIs) or
 * continuous TS (the connection's lifetime); each session's life as a pure state machine
 * ({@link dev.headend.session.SessionMachine}), the per-channel limit, the ghost and idle rules,
 * and kicks. Only tokens this server issued open sessions. Viewer counts drive the streams' idle
 * policy.
 */
package dev.headend.session;
