package io.tedeesync.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * Sets the parameters of a statement left to right, in the store's portable encoding: times as epoch
 * milliseconds, booleans as INTEGER 0/1, nulls typed so both drivers accept them. Not thread-safe.
 */
final class Columns {
    private final PreparedStatement statement;
    private int index = 1;

    Columns(PreparedStatement statement) {
        this.statement = statement;
    }

    void text(String value) throws SQLException {
        if (value == null) {
            statement.setNull(index++, Types.VARCHAR);
        } else {
            statement.setString(index++, value);
        }
    }

    void bigint(Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index++, Types.BIGINT);
        } else {
            statement.setLong(index++, value);
        }
    }

    void integer(Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index++, Types.INTEGER);
        } else {
            statement.setInt(index++, value);
        }
    }

    void bool(Boolean value) throws SQLException {
        integer(value == null ? null : value ? 1 : 0);
    }

    void time(Instant value) throws SQLException {
        bigint(value == null ? null : value.toEpochMilli());
    }
}
