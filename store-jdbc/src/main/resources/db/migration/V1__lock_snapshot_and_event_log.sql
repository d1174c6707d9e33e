-- One schema for SQLite and PostgreSQL: only types and statements both read the same way.
-- Times are epoch milliseconds (BIGINT); booleans are INTEGER 0/1 (SQLite has no BOOLEAN of its own).

-- The last known copy of every lock, per account: everything needed to rebuild a MirroredLock.
CREATE TABLE lock_snapshot (
    account               TEXT    NOT NULL,
    serial_number         TEXT    NOT NULL,
    lock_id               BIGINT  NOT NULL,
    name                  TEXT    NOT NULL,
    type_code             INTEGER NOT NULL,
    revision              BIGINT  NOT NULL,
    connected             INTEGER NOT NULL,
    position_current      INTEGER NOT NULL,
    -- The last reported device state; state_code is NULL exactly when the lock never reported one.
    state_code            INTEGER,
    door_state_code       INTEGER,
    battery_level         INTEGER,
    charging              INTEGER,
    state_change_result   INTEGER,
    last_state_changed_at BIGINT,
    settings_json         TEXT,
    synced_at             BIGINT  NOT NULL,
    state_at              BIGINT,
    connection_at         BIGINT,
    battery_at            BIGINT,
    PRIMARY KEY (account, serial_number)
);

-- Append-only event log. The store is the single writer and assigns the ids itself (no SERIAL or
-- AUTOINCREMENT, whose syntax differs).
CREATE TABLE lock_event (
    id            BIGINT  NOT NULL PRIMARY KEY,
    account       TEXT    NOT NULL,
    serial_number TEXT,
    lock_id       BIGINT,
    type          TEXT    NOT NULL,
    occurred_at   BIGINT  NOT NULL,
    observed_at   BIGINT  NOT NULL,
    source        TEXT    NOT NULL,
    json          TEXT    NOT NULL
);

CREATE INDEX lock_event_serial_number_id ON lock_event (serial_number, id);
CREATE INDEX lock_event_account_id ON lock_event (account, id);
CREATE INDEX lock_event_observed_at ON lock_event (observed_at);

-- Small facts about the store itself. 'event_id_floor': the highest event id ever given, kept when
-- pruning deletes the newest events, so that ids never go back after a restart.
CREATE TABLE store_meta (
    name  TEXT   NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);
