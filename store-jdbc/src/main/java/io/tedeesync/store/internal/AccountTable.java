package io.tedeesync.store.internal;

import io.tedeesync.store.StoredAccount;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rows of {@code account} to and from {@link StoredAccount}. The caller owns the connection and the
 * transaction. Stateless.
 */
public final class AccountTable {
    // DO NOTHING and the update count: the primary key decides a race between two inserts of one name,
    // on both databases, without a read before the write.
    private static final String INSERT = "INSERT INTO account (name, credential_kind, sealed_credentials, api_url, "
            + "api_version, sync_interval_ms, user_identity, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (name) DO NOTHING";
    private static final String UPDATE = "UPDATE account SET credential_kind = ?, sealed_credentials = ?, api_url = ?, "
            + "api_version = ?, sync_interval_ms = ?, user_identity = ?, updated_at = ? WHERE name = ?";
    private static final String DELETE = "DELETE FROM account WHERE name = ?";
    private static final String SELECT_ALL = "SELECT name, credential_kind, sealed_credentials, api_url, api_version, "
            + "sync_interval_ms, user_identity, added_at, updated_at FROM account";
    /**
     * The order of {@link #loadAll}. Applied here rather than by ORDER BY: PostgreSQL compares names by
     * the database's collation, SQLite by code point, and the two would order "alpha" and "Beta" apart.
     */
    private static final Comparator<StoredAccount> ADDED_THEN_NAME =
            Comparator.comparing(StoredAccount::addedAt).thenComparing(StoredAccount::name);

    private AccountTable() {
    }

    /** Every account, oldest {@code addedAt} first, then by name. */
    public static List<StoredAccount> loadAll(Connection connection) throws SQLException {
        List<StoredAccount> accounts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                accounts.add(read(new Row(rows)));
            }
        }
        accounts.sort(ADDED_THEN_NAME);
        return List.copyOf(accounts);
    }

    /** The named account, if stored. */
    public static java.util.Optional<StoredAccount> load(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL + " WHERE name = ?")) {
            new Columns(statement).text(name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? java.util.Optional.of(read(new Row(rows))) : java.util.Optional.empty();
            }
        }
    }

    /** Adds the account; false, and nothing changed, when its name is taken. */
    public static boolean insert(Connection connection, StoredAccount account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            Columns columns = new Columns(statement);
            columns.text(account.name());
            settings(columns, account);
            columns.time(account.addedAt());
            columns.time(account.updatedAt());
            return statement.executeUpdate() == 1;
        }
    }

    /** Replaces every column of the named account but its name and {@code added_at}; false when there is none. */
    public static boolean update(Connection connection, StoredAccount account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
            Columns columns = new Columns(statement);
            settings(columns, account);
            columns.time(account.updatedAt());
            columns.text(account.name());
            return statement.executeUpdate() == 1;
        }
    }

    /** The columns insert and update share, in the order both statements name them. */
    private static void settings(Columns columns, StoredAccount account) throws SQLException {
        columns.text(account.credentialKind());
        columns.text(account.sealedCredentials());
        columns.text(account.apiUrl().toString());
        columns.text(account.apiVersion());
        columns.bigint(account.syncInterval() == null ? null : account.syncInterval().toMillis());
        columns.text(account.userIdentity());
    }

    /** Deletes the account's row (its locks and events are not touched); false when there was none. */
    public static boolean delete(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            new Columns(statement).text(name);
            return statement.executeUpdate() == 1;
        }
    }

    private static StoredAccount read(Row row) throws SQLException {
        String name = row.text();
        String credentialKind = row.text();
        String sealed = row.text();
        String apiUrl = row.text();
        String apiVersion = row.text();
        Long intervalMillis = row.nullableBigint();
        String userIdentity = row.text();
        try {
            return new StoredAccount(name, credentialKind, sealed, URI.create(apiUrl), apiVersion,
                    intervalMillis == null ? null : Duration.ofMillis(intervalMillis), userIdentity, row.time(), row.time());
        } catch (IllegalArgumentException e) {
            // A URL or interval written behind the store's back: name the account, never quote the sealed value.
            throw new SQLException("unreadable row of account " + name + ": " + e.getMessage(), e);
        }
    }
}
