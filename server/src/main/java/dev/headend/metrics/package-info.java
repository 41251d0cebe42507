/** Prometheus metrics (Micrometer) read from the server's own state at scrape time. */
package dev.headend.metrics;
