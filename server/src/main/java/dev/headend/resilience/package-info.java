/**
 * Restart resilience: the single place that decides when a channel's pipeline may be restarted
 * after a crash, a stall, an unhealthy run, a refused spawn or an operator request. It owns the
 * global restart throttle (shared by all channels), each channel's cooldown and each channel's
 * circuit breaker, and counts the decisions it takes.
 */
package dev.headend.resilience;
