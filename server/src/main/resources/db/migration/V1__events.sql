-- The event log: one row per event, the envelope as JSON.
CREATE TABLE events (
    sequence   INTEGER PRIMARY KEY,
    event_id   TEXT    NOT NULL UNIQUE,
    type       TEXT    NOT NULL,
    channel_id TEXT,
    time_ms    INTEGER NOT NULL,
    json       TEXT    NOT NULL
);
CREATE INDEX events_time ON events (time_ms);

-- Streams running now: what the next start ends with reason "crashed" if the server dies.
CREATE TABLE running_streams (
    channel_id TEXT    PRIMARY KEY,
    started_sequence INTEGER NOT NULL
);

-- One row per event and webhook receiver: delivered in sequence order per receiver.
CREATE TABLE outbox (
    receiver_id     TEXT    NOT NULL,
    sequence        INTEGER NOT NULL REFERENCES events (sequence),
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    last_error      TEXT,
    done_ms         INTEGER,
    PRIMARY KEY (receiver_id, sequence)
);
CREATE INDEX outbox_pending ON outbox (receiver_id, status, sequence);

-- The stream id a receiver answered to stream_started, sent back with the stream's later events.
CREATE TABLE receiver_streams (
    receiver_id       TEXT NOT NULL,
    channel_id        TEXT NOT NULL,
    receiver_stream_id TEXT NOT NULL,
    PRIMARY KEY (receiver_id, channel_id)
);
