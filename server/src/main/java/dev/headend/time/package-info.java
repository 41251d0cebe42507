/**
 * Time for the whole server: {@link dev.headend.time.Moment}s on a monotonic clock for every
 * window, cooldown, timeout and rate, wall-clock {@link java.time.Instant}s only for dates
 * that are shown (playlist dates, API timestamps, a slate's status line), and the {@link
 * dev.headend.time.Scheduler} that runs delayed and periodic work. Tests replace both with a
 * manual clock and scheduler.
 */
package dev.headend.time;
