/**
 * Viewer sessions: who watches which stream, over HLS (a server-issued token in the URIs, idle
 * expiry) or continuous TS (the connection's lifetime). Only tokens this server issued open
 * sessions. Viewer counts drive the streams' idle policy.
 */
package dev.headend.session;
