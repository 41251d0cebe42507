/**
 * Viewer sessions: who watches which stream, over HLS (a server-issued token in the URIs),
 * continuous TS or the WebSocket relay (the connection's lifetime); each session's life as a
 * pure state machine ({@link dev.headend.session.SessionMachine}), the per-channel limit, the
 * ghost and idle rules, and kicks. Only tokens this server issued open sessions. Viewer counts of
 * HLS and TS sessions drive the streams' idle policy. In a cluster, sessions are also counted in
 * a {@link dev.headend.session.SessionLedger} shared by the nodes, so the limit holds for the
 * cluster; viewers of channels another node runs are sessions here too (relayed).
 */
package dev.headend.session;
