package io.tedeesync.store.internal;

import io.tedeesync.store.AttemptRow;
import io.tedeesync.store.DeliveryRow;
import io.tedeesync.store.DeliveryState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rows of {@code webhook_delivery} and {@code webhook_attempt}. The order rule lives here: per endpoint,
 * only the oldest PENDING delivery of an ordering key has a next attempt time; the ones behind it wait
 * with none and get one when it finishes ({@link #record}), so {@link #due} is an index range and never
 * hands out a delivery ahead of an older one of the same lock. The caller owns the connection and the
 * transaction. Stateless.
 */
public final class DeliveryTable {
    private static final String COLUMNS = "endpoint_id, event_id, event_type, ordering_key, payload, state, attempts, "
            + "next_attempt_at, created_at, finished_at, last_status, last_error";
    private static final String INSERT = "INSERT INTO webhook_delivery (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (endpoint_id, event_id) DO NOTHING";
    private static final String PENDING = "'" + DeliveryState.PENDING.name() + "'";
    /** The oldest pending delivery of a key gets its next attempt time, if it has none yet. */
    private static final String PROMOTE = "UPDATE webhook_delivery SET next_attempt_at = ? WHERE endpoint_id = ? AND ordering_key = ? "
            + "AND state = " + PENDING + " AND next_attempt_at IS NULL AND event_id = (SELECT MIN(event_id) FROM webhook_delivery "
            + "WHERE endpoint_id = ? AND ordering_key = ? AND state = " + PENDING + ")";
    /** IN lists are cut to this many values (both databases take far more; this keeps statements small). */
    private static final int IN_LIST = 500;

    private DeliveryTable() {
    }

    /** Queues the deliveries, in event order: due at {@code now} when nothing of their key is pending before them. */
    public static int insert(Connection connection, List<DeliveryRow> deliveries, Instant now) throws SQLException {
        if (deliveries.isEmpty()) {
            return 0;
        }
        String endpointId = deliveries.get(0).endpointId();
        Set<String> waiting = pendingKeys(connection, endpointId, deliveries.stream().map(DeliveryRow::orderingKey).distinct().toList());
        int inserted = 0;
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (DeliveryRow delivery : deliveries) {
                boolean behindAnother = !waiting.add(delivery.orderingKey());
                write(new Columns(statement), delivery.withOutcome(DeliveryState.PENDING, 0, behindAnother ? null : now, null, null, null));
                statement.addBatch();
            }
            for (int count : statement.executeBatch()) {
                inserted += Math.max(count, 0);
            }
        }
        return inserted;
    }

    /** The due deliveries of the endpoint, oldest event first, one per key, none of {@code busyKeys}. */
    public static List<DeliveryRow> due(Connection connection, String endpointId, Instant now, Set<String> busyKeys, int limit)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_delivery "
                + "WHERE endpoint_id = ? AND state = " + PENDING + " AND next_attempt_at <= ? ORDER BY event_id LIMIT ?")) {
            Columns columns = new Columns(statement);
            columns.text(endpointId);
            columns.time(now);
            columns.integer(limit + busyKeys.size());
            Map<String, DeliveryRow> oldestPerKey = new LinkedHashMap<>();
            for (DeliveryRow delivery : list(statement)) {
                if (!busyKeys.contains(delivery.orderingKey()) && oldestPerKey.size() < limit) {
                    oldestPerKey.putIfAbsent(delivery.orderingKey(), delivery);
                }
            }
            return List.copyOf(oldestPerKey.values());
        }
    }

    /** The earliest next attempt time of the endpoint's pending deliveries whose key is not in {@code busyKeys}. */
    public static Optional<Instant> nextDue(Connection connection, String endpointId, Set<String> busyKeys) throws SQLException {
        List<String> busy = List.copyOf(busyKeys);
        String notBusy = busy.isEmpty() ? "" : " AND ordering_key NOT IN (" + String.join(", ", Collections.nCopies(busy.size(), "?")) + ")";
        try (PreparedStatement statement = connection.prepareStatement("SELECT MIN(next_attempt_at) FROM webhook_delivery "
                + "WHERE endpoint_id = ? AND state = " + PENDING + " AND next_attempt_at IS NOT NULL" + notBusy)) {
            Columns columns = new Columns(statement);
            columns.text(endpointId);
            for (String key : busy) {
                columns.text(key);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(new Row(rows).time()) : Optional.empty();
            }
        }
    }

    /**
     * Stores the attempt and the delivery's new state; when it finished, the next pending delivery of its key
     * becomes due at once. False when the delivery is gone.
     */
    public static boolean record(Connection connection, AttemptRow attempt, DeliveryRow updated) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_delivery SET state = ?, attempts = ?, "
                + "next_attempt_at = ?, finished_at = ?, last_status = ?, last_error = ? WHERE endpoint_id = ? AND event_id = ?")) {
            Columns columns = new Columns(statement);
            columns.text(updated.state().name());
            columns.integer(updated.attempts());
            columns.time(updated.state() == DeliveryState.PENDING ? updated.nextAttemptAt() : null);
            columns.time(updated.state() == DeliveryState.PENDING ? null : updated.finishedAt());
            columns.integer(updated.lastStatus());
            columns.text(updated.lastError());
            columns.text(updated.endpointId());
            columns.bigint(updated.eventId());
            if (statement.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhook_attempt (endpoint_id, event_id, attempt, "
                + "at, status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint_id, event_id, attempt) DO NOTHING")) {
            Columns columns = new Columns(statement);
            columns.text(attempt.endpointId());
            columns.bigint(attempt.eventId());
            columns.integer(attempt.attempt());
            columns.time(attempt.at());
            columns.integer(attempt.status());
            columns.bigint(attempt.latencyMillis());
            columns.text(attempt.error());
            statement.executeUpdate();
        }
        if (updated.state() != DeliveryState.PENDING) {
            promote(connection, updated.endpointId(), updated.orderingKey(), updated.finishedAt() != null ? updated.finishedAt() : attempt.at());
        }
        return true;
    }

    /**
     * Gives a next attempt time to every pending delivery that has none and nothing older pending of its key:
     * the repair of a head lost to a race (a delivery queued behind one that finished in a transaction that
     * could not see it yet). Returns how many.
     */
    public static int unblock(Connection connection, String endpointId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_delivery SET next_attempt_at = ? "
                + "WHERE endpoint_id = ? AND state = " + PENDING + " AND next_attempt_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
                + "webhook_delivery older WHERE older.endpoint_id = webhook_delivery.endpoint_id AND older.ordering_key = "
                + "webhook_delivery.ordering_key AND older.state = " + PENDING + " AND older.event_id < webhook_delivery.event_id)")) {
            Columns columns = new Columns(statement);
            columns.time(now);
            columns.text(endpointId);
            return statement.executeUpdate();
        }
    }

    /** The endpoint's deliveries below {@code beforeEventId}, newest first. */
    public static List<DeliveryRow> page(Connection connection, String endpointId, long beforeEventId, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_delivery "
                + "WHERE endpoint_id = ? AND event_id < ? ORDER BY event_id DESC LIMIT ?")) {
            Columns columns = new Columns(statement);
            columns.text(endpointId);
            columns.bigint(beforeEventId);
            columns.integer(limit);
            return list(statement);
        }
    }

    public static Optional<DeliveryRow> load(Connection connection, String endpointId, long eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_delivery "
                + "WHERE endpoint_id = ? AND event_id = ?")) {
            Columns columns = new Columns(statement);
            columns.text(endpointId);
            columns.bigint(eventId);
            return list(statement).stream().findFirst();
        }
    }

    public static List<AttemptRow> attempts(Connection connection, String endpointId, long eventId) throws SQLException {
        return attempts(connection, endpointId, List.of(eventId)).getOrDefault(eventId, List.of());
    }

    /** The attempts of those deliveries of the endpoint, first first, by event id (one without attempts is absent). */
    public static Map<Long, List<AttemptRow>> attempts(Connection connection, String endpointId, Collection<Long> eventIds)
            throws SQLException {
        Map<Long, List<AttemptRow>> byEvent = new LinkedHashMap<>();
        List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(eventIds));
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
            try (PreparedStatement statement = connection.prepareStatement("SELECT endpoint_id, event_id, attempt, at, status, latency_ms, "
                    + "error FROM webhook_attempt WHERE endpoint_id = ? AND event_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                    + ") ORDER BY event_id, attempt")) {
                Columns columns = new Columns(statement);
                columns.text(endpointId);
                for (long eventId : chunk) {
                    columns.bigint(eventId);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Row row = new Row(rows);
                        AttemptRow attempt = new AttemptRow(row.text(), row.bigint(), row.integer(), row.time(), row.nullableInteger(),
                                row.bigint(), row.text());
                        byEvent.computeIfAbsent(attempt.eventId(), id -> new ArrayList<>()).add(attempt);
                    }
                }
            }
        }
        Map<Long, List<AttemptRow>> copy = new LinkedHashMap<>();
        byEvent.forEach((eventId, attempts) -> copy.put(eventId, List.copyOf(attempts)));
        return copy;
    }

    /**
     * Pending again, whatever it was: due at {@code now} when nothing older of its key is pending (and then the newer
     * pending ones of its key wait behind it again), else waiting its turn (no next attempt time). False when there
     * is no such delivery.
     */
    public static boolean retry(Connection connection, String endpointId, long eventId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_delivery SET state = " + PENDING
                + ", next_attempt_at = CASE WHEN EXISTS (SELECT 1 FROM webhook_delivery older WHERE older.endpoint_id = "
                + "webhook_delivery.endpoint_id AND older.ordering_key = webhook_delivery.ordering_key AND older.state = " + PENDING
                + " AND older.event_id < webhook_delivery.event_id) THEN NULL ELSE ? END, finished_at = NULL "
                + "WHERE endpoint_id = ? AND event_id = ?")) {
            Columns columns = new Columns(statement);
            columns.time(now);
            columns.text(endpointId);
            columns.bigint(eventId);
            if (statement.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_delivery SET next_attempt_at = NULL "
                + "WHERE endpoint_id = ? AND state = " + PENDING + " AND event_id > ? AND ordering_key = (SELECT ordering_key FROM "
                + "webhook_delivery retried WHERE retried.endpoint_id = ? AND retried.event_id = ? AND retried.next_attempt_at IS NOT NULL)")) {
            Columns columns = new Columns(statement);
            columns.text(endpointId);
            columns.bigint(eventId);
            columns.text(endpointId);
            columns.bigint(eventId);
            statement.executeUpdate();
        }
        return true;
    }

    public static Map<String, Long> pendingCounts(Connection connection) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT endpoint_id, COUNT(*) FROM webhook_delivery WHERE state = "
                + PENDING + " GROUP BY endpoint_id"); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return Map.copyOf(counts);
    }

    /** Deletes finished deliveries (and their attempts) finished before {@code cutoff}; returns the deliveries deleted. */
    public static int deleteFinishedBefore(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement attempts = connection.prepareStatement("DELETE FROM webhook_attempt WHERE EXISTS (SELECT 1 FROM "
                + "webhook_delivery d WHERE d.endpoint_id = webhook_attempt.endpoint_id AND d.event_id = webhook_attempt.event_id "
                + "AND d.state <> " + PENDING + " AND d.finished_at < ?)")) {
            new Columns(attempts).time(cutoff);
            attempts.executeUpdate();
        }
        try (PreparedStatement deliveries = connection.prepareStatement("DELETE FROM webhook_delivery WHERE state <> " + PENDING
                + " AND finished_at < ?")) {
            new Columns(deliveries).time(cutoff);
            return deliveries.executeUpdate();
        }
    }

    /** Deletes every delivery and attempt of the endpoint. */
    public static void deleteEndpoint(Connection connection, String endpointId) throws SQLException {
        for (String table : List.of("webhook_attempt", "webhook_delivery")) {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " WHERE endpoint_id = ?")) {
                new Columns(statement).text(endpointId);
                statement.executeUpdate();
            }
        }
    }

    private static void promote(Connection connection, String endpointId, String key, Instant at) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PROMOTE)) {
            Columns columns = new Columns(statement);
            columns.time(at);
            columns.text(endpointId);
            columns.text(key);
            columns.text(endpointId);
            columns.text(key);
            statement.executeUpdate();
        }
    }

    /** Which of {@code keys} have a pending delivery at the endpoint. */
    private static Set<String> pendingKeys(Connection connection, String endpointId, Collection<String> keys) throws SQLException {
        Set<String> pending = new HashSet<>();
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT ordering_key FROM webhook_delivery "
                    + "WHERE endpoint_id = ? AND state = " + PENDING + " AND ordering_key IN (" + marks + ")")) {
                Columns columns = new Columns(statement);
                columns.text(endpointId);
                for (String key : chunk) {
                    columns.text(key);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        pending.add(rows.getString(1));
                    }
                }
            }
        }
        return pending;
    }

    private static void write(Columns columns, DeliveryRow delivery) throws SQLException {
        columns.text(delivery.endpointId());
        columns.bigint(delivery.eventId());
        columns.text(delivery.eventType());
        columns.text(delivery.orderingKey());
        columns.text(delivery.payload());
        columns.text(delivery.state().name());
        columns.integer(delivery.attempts());
        columns.time(delivery.nextAttemptAt());
        columns.time(delivery.createdAt());
        columns.time(delivery.finishedAt());
        columns.integer(delivery.lastStatus());
        columns.text(delivery.lastError());
    }

    private static List<DeliveryRow> list(PreparedStatement statement) throws SQLException {
        List<DeliveryRow> deliveries = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Row row = new Row(rows);
                String endpointId = row.text();
                long eventId = row.bigint();
                String type = row.text();
                String key = row.text();
                String payload = row.text();
                String state = row.text();
                DeliveryState parsed;
                try {
                    parsed = DeliveryState.valueOf(state);
                } catch (IllegalArgumentException e) {
                    throw new SQLException("unreadable delivery " + eventId + " of endpoint " + endpointId + ": state " + state, e);
                }
                deliveries.add(new DeliveryRow(endpointId, eventId, type, key, payload, parsed, row.integer(), row.time(), row.time(),
                        row.time(), row.nullableInteger(), row.text()));
            }
        }
        return List.copyOf(deliveries);
    }
}
