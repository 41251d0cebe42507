/**
 * The embedded store: one SQLite file in {@code data_dir} ({@link dev.headend.store.Database}),
 * its schema migrated by Flyway at start, checked with {@code quick_check} first. Features keep
 * their own narrow interfaces over it (the event journal, later the operator's settings and
 * channels), so a Redis implementation can replace it for a cluster.
 */
package dev.headend.store;
