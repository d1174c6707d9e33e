package io.tedeesync.store.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reads the columns of the current row left to right, the mirror of {@link Columns}. Not thread-safe. */
final class Row {
    private final ResultSet rows;
    private int index = 1;

    Row(ResultSet rows) {
        this.rows = rows;
    }

    String text() throws SQLException {
        return rows.getString(index++);
    }

    long bigint() throws SQLException {
        return rows.getLong(index++);
    }

    Long nullableBigint() throws SQLException {
        long value = rows.getLong(index++);
        return rows.wasNull() ? null : value;
    }

    int integer() throws SQLException {
        return rows.getInt(index++);
    }

    Integer nullableInteger() throws SQLException {
        int value = rows.getInt(index++);
        return rows.wasNull() ? null : value;
    }

    boolean bool() throws SQLException {
        return integer() != 0;
    }

    Boolean nullableBool() throws SQLException {
        Integer value = nullableInteger();
        return value == null ? null : value != 0;
    }

    Instant time() throws SQLException {
        Long millis = nullableBigint();
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
