package dev.headend.catalog;

import java.util.Locale;

/** Where a channel of the catalog comes from. */
public enum ChannelOrigin {
    /** The configuration file: read-only through the API. */
    FILE,
    /** Created through the API and kept in the store. */
    API,
    /** Made on demand from a template; gone when its stream stops. */
    TEMPLATE;

    /** The name in API answers: {@code file}, {@code api}, {@code template}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
