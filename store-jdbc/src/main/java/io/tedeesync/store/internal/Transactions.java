package io.tedeesync.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work on a connection as one transaction: committed when it returns, rolled back when it throws. Stateless. */
public final class Transactions {
    private Transactions() {
    }

    /** What runs inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction on {@code connection} and returns what it returned. */
    public static <T> T run(Connection connection, Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        // No reset of auto-commit here: the pool resets it when the connection comes back, and a
        // reset on a broken connection would hide the reason it broke.
    }
}
