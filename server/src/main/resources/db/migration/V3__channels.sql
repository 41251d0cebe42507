-- Channels created through the API: the definition as accepted (a JSON object, the keys of a
-- configuration file's channel entry), a version that each change increments, and the order
-- they were created in (the order they are listed in, after the file's channels).
CREATE TABLE api_channels (
    channel_id  TEXT    PRIMARY KEY,
    definition  TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
