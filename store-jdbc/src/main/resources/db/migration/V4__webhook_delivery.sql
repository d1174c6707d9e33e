-- Outbound webhooks (issue 12): the endpoints the service delivers the event log to, and the durable queue of
-- deliveries with every attempt. Same rules as V1: one schema for SQLite and PostgreSQL, times as epoch
-- milliseconds (BIGINT), booleans as INTEGER 0/1.

-- One row per endpoint. The signing secrets are sealed by the server (the store never holds them in clear).
-- cursor: the id of the last event of the log this endpoint was given a delivery for (or judged not to match).
CREATE TABLE webhook_endpoint (
    id                     TEXT    NOT NULL PRIMARY KEY,
    url                    TEXT    NOT NULL,
    description            TEXT,
    -- JSON arrays; NULL: every event type, every account.
    event_types            TEXT,
    accounts               TEXT,
    sealed_secret          TEXT    NOT NULL,
    sealed_previous_secret TEXT,
    previous_secret_until  BIGINT,
    enabled                INTEGER NOT NULL,
    disabled_reason        TEXT,
    disabled_at            BIGINT,
    -- When its current run of failures began; NULL while its last attempt succeeded.
    failing_since          BIGINT,
    cursor                 BIGINT  NOT NULL,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL
);

-- One row per (endpoint, event): the payload exactly as sent on every attempt, and where it stands.
-- ordering_key: the lock's serial number (or 'account:' + name): per endpoint, one key is delivered in event
-- order, so only the oldest PENDING row of a key has a next_attempt_at; the rows behind it wait with NULL.
CREATE TABLE webhook_delivery (
    endpoint_id     TEXT    NOT NULL,
    event_id        BIGINT  NOT NULL,
    event_type      TEXT    NOT NULL,
    ordering_key    TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT,
    created_at      BIGINT  NOT NULL,
    finished_at     BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    PRIMARY KEY (endpoint_id, event_id)
);

CREATE INDEX webhook_delivery_due ON webhook_delivery (endpoint_id, state, next_attempt_at);
CREATE INDEX webhook_delivery_key ON webhook_delivery (endpoint_id, ordering_key, state, event_id);
CREATE INDEX webhook_delivery_finished ON webhook_delivery (state, finished_at);

-- Every attempt of a delivery: when, the HTTP status (NULL: no answer), how long it took, and why it failed.
CREATE TABLE webhook_attempt (
    endpoint_id TEXT    NOT NULL,
    event_id    BIGINT  NOT NULL,
    attempt     INTEGER NOT NULL,
    at          BIGINT  NOT NULL,
    status      INTEGER,
    latency_ms  BIGINT  NOT NULL,
    error       TEXT,
    PRIMARY KEY (endpoint_id, event_id, attempt)
);
