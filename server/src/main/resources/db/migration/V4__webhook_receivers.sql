-- Webhook receivers added through the API (those of the configuration file are not stored).
-- token and secret are kept as given: the store is the server's own file in its data directory.
CREATE TABLE webhook_receivers (
    id              TEXT    PRIMARY KEY,
    url             TEXT    NOT NULL,
    token           TEXT,
    secret          TEXT,
    events          TEXT    NOT NULL,  -- event types, comma-separated; empty for all
    timeout_seconds INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL
);
