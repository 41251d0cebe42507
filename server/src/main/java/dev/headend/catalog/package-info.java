/**
 * The channel catalog the streams serve, from its three origins: the configuration file's
 * channels (read-only here), channels created through the API (kept in the store, surviving
 * restarts, each change versioned for optimistic concurrency) and ephemeral channels that
 * templates make on demand (owned by the streams). {@link dev.headend.catalog.ChannelRegistry}
 * is the one place that changes the catalog: every change is validated as the file's channels
 * are, stored, then applied to the running streams (hot swap, stop). An M3U playlist is read
 * ({@link dev.headend.catalog.M3uReader}) into channel definitions ({@link
 * dev.headend.catalog.ChannelImport}) that are created as one change: one transaction, one
 * reconfiguration.
 */
package dev.headend.catalog;
