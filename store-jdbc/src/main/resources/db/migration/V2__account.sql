-- Accounts added at runtime (through the server), kept so that they survive a restart. Accounts
-- declared in a configuration file are not stored here; their locks and events are, by name, as before.
-- Same rules as V1: one schema for SQLite and PostgreSQL, times as epoch milliseconds (BIGINT).
CREATE TABLE account (
    name               TEXT   NOT NULL PRIMARY KEY,
    credential_kind    TEXT   NOT NULL,
    -- Opaque to the store: the server encrypted the credentials before handing them over, so the
    -- database (and its backups) never holds a secret in clear.
    sealed_credentials TEXT   NOT NULL,
    api_url            TEXT   NOT NULL,
    api_version        TEXT   NOT NULL,
    -- NULL: the service's default interval, whatever it is at the time.
    sync_interval_ms   BIGINT,
    user_identity      TEXT,
    added_at           BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
