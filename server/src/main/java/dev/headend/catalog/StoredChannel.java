package dev.headend.catalog;

/**
 * A channel created through the API as kept in the store.
 *
 * @param definition the accepted JSON object, the keys of a configuration file's channel entry
 * @param version 1 when created, one more at each change
 */
public record StoredChannel(String id, String definition, long version) {}
