package dev.headend.events;

/** One event due to one webhook receiver: a row of the outbox. */
public record Delivery(String receiverId, long sequence, long createdMs) {}
