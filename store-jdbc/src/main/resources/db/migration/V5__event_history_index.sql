-- A lock's history over a time range (issue 13: GET /api/locks/{serialNumber}/history): the events of one lock by
-- the time they happened, newest first, and the last one before a time, as index range scans instead of a walk
-- through every event of the lock by id. Same rules as V1: one schema for SQLite and PostgreSQL.
CREATE INDEX lock_event_serial_occurred ON lock_event (serial_number, occurred_at);
