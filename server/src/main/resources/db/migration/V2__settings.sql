-- Server settings set through the API (PATCH /api/settings): they win over the environment,
-- the configuration file and the defaults, and are read at every start. Values as written.
CREATE TABLE settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    changed_ms INTEGER NOT NULL
);
