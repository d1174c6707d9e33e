-- A lock's history over a time range (issue 13: GET /api/locks/{serialNumber}/history), as index range scans instead
-- of a walk through every event of the lock by id. Same rules as V1: one schema for SQLite and PostgreSQL.
--
-- IF NOT EXISTS: on PostgreSQL, building these blocks writes to lock_event for as long as it takes (Flyway runs the
-- script in a transaction, where CONCURRENTLY is not allowed). An operator with a big log may build them beforehand,
-- while the older version runs, with CREATE INDEX CONCURRENTLY IF NOT EXISTS and these same definitions; then this
-- finds them and does nothing (the README's upgrade note).
--
-- The events of one lock by the time they happened, newest first (the range of a history): id in the index too, so
-- that neither database sorts the ties of one millisecond.
CREATE INDEX IF NOT EXISTS lock_event_serial_occurred ON lock_event (serial_number, occurred_at, id);
-- The last (or first) event of one type of one lock before (at or after) a time: one short probe per type, however
-- many events of other types the lock logged in between (a lock without a door sensor has no door event at all, and
-- without this index that question read its whole log).
CREATE INDEX IF NOT EXISTS lock_event_serial_type_occurred ON lock_event (serial_number, type, occurred_at, id);
