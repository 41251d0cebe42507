/**
 * Events: the sealed family of event payloads ({@link dev.headend.events.EventData}) in one
 * envelope ({@link dev.headend.events.Event}), the durable log that numbers and stores them before
 * anyone hears of them ({@link dev.headend.events.EventLog} over an {@link
 * dev.headend.events.EventJournal}), the live fan-out to feed listeners ({@link
 * dev.headend.events.EventHub}), what the feeds read ({@link dev.headend.events.EventSource}: the
 * journal on a single node, the cluster's stream in a cluster) and webhook delivery from the
 * store's outbox ({@link dev.headend.events.WebhookDispatcher}). Events come from the streams'
 * {@link dev.headend.stream.StreamListener} and from configuration reloads.
 */
package dev.headend.events;
