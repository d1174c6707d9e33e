-- Several instances on one PostgreSQL database (issue 11). Same rules as V1: one schema for SQLite and
-- PostgreSQL, times as epoch milliseconds (BIGINT). SQLite gets the tables too and never uses them: it is
-- single-instance. Every time here is the DATABASE's clock (clock_timestamp()), never an instance's.

-- The instances serving from this database, for spreading the accounts and forwarding to their owner.
CREATE TABLE cluster_instance (
    id           TEXT   NOT NULL PRIMARY KEY,
    -- How the other instances reach this one.
    url          TEXT   NOT NULL,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);

-- One row per account of the cluster: who syncs it (owner NULL: nobody), under which fencing token (raised
-- by every acquisition, so that a writer that lost the lease is told apart from its successor), until when,
-- and what its calls left for the next owner (last sync, Retry-After, the request budget as JSON).
CREATE TABLE account_lease (
    account       TEXT   NOT NULL PRIMARY KEY,
    owner         TEXT,
    fencing       BIGINT NOT NULL DEFAULT 0,
    expires_at    BIGINT NOT NULL DEFAULT 0,
    last_sync_at  BIGINT,
    blocked_until BIGINT,
    budget        TEXT,
    -- The owner's view of the account, as JSON; opaque to the store.
    status        TEXT
);

-- The one sequence of event ids: read and raised by every transaction that appends events, whose row lock
-- then orders the appenders (of every instance) until they commit, so that ids are given in commit order.
-- It starts at the highest id ever given: the newest event's, or the floor a prune or purge kept.
INSERT INTO store_meta (name, value)
SELECT 'last_event_id', COALESCE(MAX(id), 0) FROM (
    SELECT MAX(id) AS id FROM lock_event
    UNION ALL
    SELECT MAX(value) AS id FROM store_meta WHERE name = 'event_id_floor'
) given;

-- The counter keeps what the floor kept (and more): one place to read the highest id from.
DELETE FROM store_meta WHERE name = 'event_id_floor';
