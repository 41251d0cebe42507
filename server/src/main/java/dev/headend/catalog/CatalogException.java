package dev.headend.catalog;

/** A change to the catalog that was refused; nothing changed. */
public final class CatalogException extends RuntimeException {
    /** Why it was refused. */
    public enum Kind {
        /** No channel has the id. */
        NOT_FOUND,
        /** The channel comes from the configuration file (or a template) and cannot be changed here. */
        READ_ONLY,
        /** A channel with the id exists already. */
        EXISTS,
        /** The version the change was based on is not the current one. */
        STALE
    }

    private final Kind kind;

    public CatalogException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
