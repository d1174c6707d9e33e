package io.tedeesync.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tedeesync.store.WebhookEndpointRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Rows of {@code webhook_endpoint} to and from {@link WebhookEndpointRow}. The caller owns the connection
 * and the transaction. Stateless.
 */
public final class EndpointTable {
    private static final String COLUMNS = "id, url, description, event_types, accounts, sealed_secret, sealed_previous_secret, "
            + "previous_secret_until, enabled, disabled_reason, disabled_at, failing_since, cursor, created_at, updated_at";
    private static final String INSERT = "INSERT INTO webhook_endpoint (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * Every store write to a row moves {@code updated_at} strictly forward (to the write's time, or a millisecond past
     * the row's when the clock did not move), so that a read-modify-write that read an older row misses ({@link #update}).
     */
    private static final String BUMP = "updated_at = CASE WHEN ? > updated_at THEN ? ELSE updated_at + 1 END";
    private static final String UPDATE = "UPDATE webhook_endpoint SET url = ?, description = ?, event_types = ?, accounts = ?, "
            + "sealed_secret = ?, sealed_previous_secret = ?, previous_secret_until = ?, enabled = ?, disabled_reason = ?, "
            + "disabled_at = ?, " + BUMP + " WHERE id = ? AND updated_at = ?";
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() { };
    /** Applied here rather than by ORDER BY, for the same order on both databases (see {@link AccountTable}). */
    private static final Comparator<WebhookEndpointRow> CREATED_THEN_ID =
            Comparator.comparing(WebhookEndpointRow::createdAt).thenComparing(WebhookEndpointRow::id);

    private EndpointTable() {
    }

    public static List<WebhookEndpointRow> loadAll(Connection connection) throws SQLException {
        List<WebhookEndpointRow> endpoints = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_endpoint");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                endpoints.add(read(new Row(rows)));
            }
        }
        endpoints.sort(CREATED_THEN_ID);
        return List.copyOf(endpoints);
    }

    public static Optional<WebhookEndpointRow> load(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_endpoint WHERE id = ?")) {
            new Columns(statement).text(id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(new Row(rows))) : Optional.empty();
            }
        }
    }

    /** Inserts the row with this cursor (whatever the row says). */
    public static void insert(Connection connection, WebhookEndpointRow row, long cursor) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            Columns columns = new Columns(statement);
            columns.text(row.id());
            columns.text(row.url());
            columns.text(row.description());
            columns.text(names(row.eventTypes()));
            columns.text(names(row.accounts()));
            columns.text(row.sealedSecret());
            columns.text(row.sealedPreviousSecret());
            columns.time(row.previousSecretUntil());
            columns.bool(row.enabled());
            columns.text(row.disabledReason());
            columns.time(row.disabledAt());
            columns.time(row.failingSince());
            columns.bigint(cursor);
            columns.time(row.createdAt());
            columns.time(row.updatedAt());
            statement.executeUpdate();
        }
    }

    /**
     * Everything but the id, the cursor, the failing run and the creation time, if the row is still as it was at
     * {@code previousUpdatedAt}; false when it is not (changed meanwhile, or gone).
     */
    public static boolean update(Connection connection, WebhookEndpointRow row, Instant previousUpdatedAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
            Columns columns = new Columns(statement);
            columns.text(row.url());
            columns.text(row.description());
            columns.text(names(row.eventTypes()));
            columns.text(names(row.accounts()));
            columns.text(row.sealedSecret());
            columns.text(row.sealedPreviousSecret());
            columns.time(row.previousSecretUntil());
            columns.bool(row.enabled());
            columns.text(row.disabledReason());
            columns.time(row.disabledAt());
            columns.time(row.updatedAt());
            columns.time(row.updatedAt());
            columns.text(row.id());
            columns.time(previousUpdatedAt);
            return statement.executeUpdate() == 1;
        }
    }

    /** Deletes the endpoint's row; false when there was none. */
    public static boolean delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM webhook_endpoint WHERE id = ?")) {
            new Columns(statement).text(id);
            return statement.executeUpdate() == 1;
        }
    }

    /** Starts a failing run at {@code since} unless one is already running (an earlier start stays). */
    public static void markFailing(Connection connection, String id, Instant since) throws SQLException {
        bumpedUpdate(connection, id, "failing_since = ?", "failing_since IS NULL", since, columns -> columns.time(since));
    }

    public static void markHealthy(Connection connection, String id, Instant at) throws SQLException {
        bumpedUpdate(connection, id, "failing_since = NULL", "failing_since IS NOT NULL", at, columns -> { });
    }

    /** Disables the endpoint unless it already is (the first reason stays). */
    public static void disable(Connection connection, String id, String reason, Instant at) throws SQLException {
        bumpedUpdate(connection, id, "enabled = 0, disabled_reason = ?, disabled_at = ?", "enabled = 1", at, columns -> {
            columns.text(reason);
            columns.time(at);
        });
    }

    /** The values of an update's SET clause, bound left to right. */
    @FunctionalInterface
    private interface Values {
        void bind(Columns columns) throws SQLException;
    }

    /**
     * {@code UPDATE ... SET <set>, updated_at moved on to at least at WHERE id = ? AND <condition>}: every write to an
     * endpoint's row moves its {@code updated_at}, so that an optimistic {@link #update} made from an older read misses.
     */
    private static void bumpedUpdate(Connection connection, String id, String set, String condition, Instant at, Values values)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE webhook_endpoint SET " + set + ", " + BUMP + " WHERE id = ? AND " + condition)) {
            Columns columns = new Columns(statement);
            values.bind(columns);
            columns.time(at);
            columns.time(at);
            columns.text(id);
            statement.executeUpdate();
        }
    }

    /** Moves the cursor forward to {@code eventId}; never back (two instances fanning out at once both end at the highest). */
    public static void advanceCursor(Connection connection, String id, long eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE webhook_endpoint SET cursor = ? WHERE id = ? AND cursor < ?")) {
            Columns columns = new Columns(statement);
            columns.bigint(eventId);
            columns.text(id);
            columns.bigint(eventId);
            statement.executeUpdate();
        }
    }

    private static String names(List<String> names) throws SQLException {
        try {
            return names == null ? null : Json.MAPPER.writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new SQLException("could not write a list of names as JSON", e);
        }
    }

    private static List<String> readNames(String id, String json) throws SQLException {
        try {
            return json == null ? null : Json.MAPPER.readValue(json, NAMES);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable row of webhook endpoint " + id + ": not a JSON list of names", e);
        }
    }

    private static WebhookEndpointRow read(Row row) throws SQLException {
        String id = row.text();
        String url = row.text();
        String description = row.text();
        List<String> eventTypes = readNames(id, row.text());
        List<String> accounts = readNames(id, row.text());
        return new WebhookEndpointRow(id, url, description, eventTypes, accounts, row.text(), row.text(), row.time(), row.bool(),
                row.text(), row.time(), row.time(), row.bigint(), row.time(), row.time());
    }
}
