package io.tedeesync.store.internal;

import io.tedeesync.store.FencedHistory;
import io.tedeesync.store.Lease;
import io.tedeesync.store.LeaseRow;
import io.tedeesync.sync.CallHistory;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rows of {@code account_lease}, PostgreSQL only (SQLite is single-instance). The caller owns the
 * connection and the transaction. Stateless.
 *
 * <p>Statements that lock several rows lock them in the order of the account name ({@code ORDER BY
 * account} under the locking clause: PostgreSQL sorts first, then locks in that order), so that a
 * heartbeat, a history save and a fenced write, which lock overlapping rows, cannot deadlock. Each of
 * them is one statement for all its rows, whatever their number: an instance holds thousands of leases
 * and renews them every few seconds.
 */
public final class LeaseTable {
    private static final String ADD = "INSERT INTO account_lease (account) "
            + "SELECT account FROM unnest(?::text[]) AS added(account) ORDER BY account ON CONFLICT (account) DO NOTHING";
    private static final String DELETE = "DELETE FROM account_lease WHERE account = ?";
    private static final String ALL = "SELECT account, owner, fencing, expires_at < " + DbTime.NOW_MS + " FROM account_lease";
    private static final String LOCK_ONE = "SELECT owner, fencing, expires_at, last_sync_at, blocked_until, budget "
            + "FROM account_lease WHERE account = ? FOR UPDATE";
    private static final String TAKE = "UPDATE account_lease SET owner = ?, fencing = ?, expires_at = " + DbTime.NOW_MS
            + " + ? WHERE account = ?";
    /**
     * Takes every free or expired lease of the accounts at once: the rows are locked in account order (rows
     * another transaction holds are skipped, not waited for: it is taking or renewing them), the expiry is
     * checked again on the locked rows, and each old owner, expiry and history comes back with the new token.
     */
    private static final String TAKE_ALL = "WITH old AS (SELECT account, owner, expires_at, last_sync_at, blocked_until, budget "
            + "FROM account_lease WHERE account = ANY(?::text[]) AND (owner IS NULL OR expires_at < " + DbTime.NOW_MS + ") "
            + "ORDER BY account FOR UPDATE SKIP LOCKED) "
            + "UPDATE account_lease lease SET owner = ?, fencing = lease.fencing + 1, expires_at = " + DbTime.NOW_MS + " + ? "
            + "FROM old WHERE lease.account = old.account "
            + "RETURNING lease.account, lease.fencing, old.owner, old.expires_at, old.last_sync_at, old.blocked_until, old.budget";
    private static final String RELEASE = "UPDATE account_lease SET owner = NULL, expires_at = 0, last_sync_at = ?, "
            + "blocked_until = ?, budget = ? WHERE account = ? AND owner = ? AND fencing = ?";
    private static final String RENEW = "WITH held AS (SELECT lease.account FROM account_lease lease "
            + "JOIN unnest(?::text[], ?::bigint[]) AS token(account, fencing) "
            + "ON lease.account = token.account AND lease.fencing = token.fencing "
            + "WHERE lease.owner = ? ORDER BY lease.account FOR UPDATE OF lease) "
            + "UPDATE account_lease SET expires_at = " + DbTime.NOW_MS + " + ? FROM held "
            + "WHERE account_lease.account = held.account RETURNING account_lease.account";
    private static final String SAVE = "WITH saved AS (SELECT lease.account, token.last_sync_at, token.blocked_until, "
            + "token.budget, token.status FROM account_lease lease "
            + "JOIN unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[]) "
            + "AS token(account, fencing, last_sync_at, blocked_until, budget, status) "
            + "ON lease.account = token.account AND lease.fencing = token.fencing "
            + "WHERE lease.owner = ? ORDER BY lease.account FOR UPDATE OF lease) "
            + "UPDATE account_lease SET last_sync_at = saved.last_sync_at, blocked_until = saved.blocked_until, "
            + "budget = saved.budget, status = saved.status FROM saved WHERE account_lease.account = saved.account";
    private static final String HELD_FOR_SHARE = "SELECT account, owner, fencing FROM account_lease "
            + "WHERE account = ANY(?::text[]) ORDER BY account FOR SHARE";
    private static final String STATUSES = "SELECT account, status FROM account_lease WHERE status IS NOT NULL";
    private static final String OWNER_URL = "SELECT instance.url FROM account_lease lease "
            + "JOIN cluster_instance instance ON instance.id = lease.owner "
            + "WHERE lease.account = ? AND lease.expires_at >= " + DbTime.NOW_MS;

    private LeaseTable() {
    }

    /** Inserts a free row for each account that has none; the others are left as they are. */
    public static void addMissing(Connection connection, Collection<String> accounts) throws SQLException {
        if (accounts.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(ADD)) {
            statement.setArray(1, connection.createArrayOf("text", new TreeSet<>(accounts).toArray(String[]::new)));
            statement.executeUpdate();
        }
    }

    /** Deletes the account's row; false when there was none. */
    public static boolean delete(Connection connection, String account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            statement.setString(1, account);
            return statement.executeUpdate() == 1;
        }
    }

    /** Every row, by account name in {@link String#compareTo} order (not the database's collation). */
    public static List<LeaseRow> all(Connection connection) throws SQLException {
        List<LeaseRow> leases = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(ALL); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                leases.add(new LeaseRow(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getBoolean(4)));
            }
        }
        leases.sort(Comparator.comparing(LeaseRow::account));
        return List.copyOf(leases);
    }

    /**
     * Takes the lease if it is free or expired: the row is locked first, then the database's time is
     * read, so that the expiry is compared with a time after any competing acquisition committed.
     */
    public static Optional<Lease> acquire(Connection connection, String account, String instance, long ttlMillis,
            Clock clock) throws SQLException {
        String owner;
        long fencing;
        long expiresAt;
        Long lastSyncAt;
        Long blockedUntil;
        String budget;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_ONE)) {
            lock.setString(1, account);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Row row = new Row(rows);
                owner = row.text();
                fencing = row.bigint();
                expiresAt = row.bigint();
                lastSyncAt = row.nullableBigint();
                blockedUntil = row.nullableBigint();
                budget = row.text();
            }
        }
        DbTime time = DbTime.measure(connection, clock);
        if (owner != null && expiresAt >= time.dbNow()) {
            return Optional.empty();
        }
        try (PreparedStatement take = connection.prepareStatement(TAKE)) {
            Columns columns = new Columns(take);
            columns.text(instance);
            columns.bigint(fencing + 1);
            columns.bigint(ttlMillis);
            columns.text(account);
            take.executeUpdate();
        }
        if (owner != null) {
            // The old owner sends nothing after its lease ended (its permits end before), but may have
            // until then: count the floor from the end of its lease when that is later than its last save.
            lastSyncAt = lastSyncAt == null ? expiresAt : Math.max(lastSyncAt, expiresAt);
        }
        CallHistory history = time.toInstance(account, lastSyncAt, blockedUntil, budget);
        return Optional.of(new Lease(account, fencing + 1, history, owner, owner != null));
    }

    /** As {@link #acquire} for many accounts in one statement: the leases taken, by account; the others are held by someone. */
    public static Map<String, Lease> acquireAll(Connection connection, Collection<String> accounts, String instance, long ttlMillis,
            Clock clock) throws SQLException {
        Map<String, Lease> taken = new TreeMap<>();
        if (accounts.isEmpty()) {
            return taken;
        }
        DbTime time = DbTime.measure(connection, clock);
        try (PreparedStatement statement = connection.prepareStatement(TAKE_ALL)) {
            statement.setArray(1, connection.createArrayOf("text", new TreeSet<>(accounts).toArray(String[]::new)));
            statement.setString(2, instance);
            statement.setLong(3, ttlMillis);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Row row = new Row(rows);
                    String account = row.text();
                    long fencing = row.bigint();
                    String owner = row.text();
                    long expiresAt = row.bigint();
                    Long lastSyncAt = row.nullableBigint();
                    Long blockedUntil = row.nullableBigint();
                    String budget = row.text();
                    if (owner != null) { // as in acquire: the old owner may have synced until its lease ended
                        lastSyncAt = lastSyncAt == null ? expiresAt : Math.max(lastSyncAt, expiresAt);
                    }
                    taken.put(account, new Lease(account, fencing, time.toInstance(account, lastSyncAt, blockedUntil, budget), owner,
                            owner != null));
                }
            }
        }
        return taken;
    }

    /** Frees the lease and stores the history if it is still held with {@code fencing}; false when not. */
    public static boolean release(Connection connection, String account, String instance, long fencing,
            DbTime.Stored history) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RELEASE)) {
            Columns columns = new Columns(statement);
            columns.bigint(history.lastSyncAt());
            columns.bigint(history.blockedUntil());
            columns.text(history.budget());
            columns.text(account);
            columns.text(instance);
            columns.bigint(fencing);
            return statement.executeUpdate() == 1;
        }
    }

    /** Extends by {@code ttlMillis} from now every lease still held with its token; returns the ones extended. */
    public static Set<String> renew(Connection connection, String instance, long ttlMillis, Map<String, Long> held)
            throws SQLException {
        if (held.isEmpty()) {
            return Set.of();
        }
        TreeMap<String, Long> sorted = new TreeMap<>(held);
        Set<String> renewed = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(RENEW)) {
            statement.setArray(1, connection.createArrayOf("text", sorted.keySet().toArray(String[]::new)));
            statement.setArray(2, connection.createArrayOf("bigint", sorted.values().toArray(Long[]::new)));
            statement.setString(3, instance);
            statement.setLong(4, ttlMillis);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    renewed.add(rows.getString(1));
                }
            }
        }
        return Set.copyOf(renewed);
    }

    /** Stores history and status of every account whose lease {@code instance} still holds with the given token. */
    public static void saveHistories(Connection connection, String instance, Map<String, FencedHistory> histories,
            DbTime time) throws SQLException {
        if (histories.isEmpty()) {
            return;
        }
        int size = histories.size();
        String[] accounts = new String[size];
        Long[] fencing = new Long[size];
        Long[] lastSyncAt = new Long[size];
        Long[] blockedUntil = new Long[size];
        String[] budget = new String[size];
        String[] status = new String[size];
        int index = 0;
        for (Map.Entry<String, FencedHistory> entry : new TreeMap<>(histories).entrySet()) {
            DbTime.Stored stored = time.toDb(entry.getValue().history());
            accounts[index] = entry.getKey();
            fencing[index] = entry.getValue().fencing();
            lastSyncAt[index] = stored.lastSyncAt();
            blockedUntil[index] = stored.blockedUntil();
            budget[index] = stored.budget();
            status[index] = entry.getValue().statusJson();
            index++;
        }
        try (PreparedStatement statement = connection.prepareStatement(SAVE)) {
            statement.setArray(1, connection.createArrayOf("text", accounts));
            statement.setArray(2, connection.createArrayOf("bigint", fencing));
            statement.setArray(3, connection.createArrayOf("bigint", lastSyncAt));
            statement.setArray(4, connection.createArrayOf("bigint", blockedUntil));
            statement.setArray(5, connection.createArrayOf("text", budget));
            statement.setArray(6, connection.createArrayOf("text", status));
            statement.setString(7, instance);
            statement.executeUpdate();
        }
    }

    /**
     * Of the accounts, those whose row names {@code owner} with the token the fence gave, each row read
     * {@code FOR SHARE} until the transaction ends: a takeover (which updates the row) waits for the
     * caller's writes to commit, or the caller sees the takeover and writes nothing for that account.
     */
    public static Set<String> heldForShare(Connection connection, String owner, Map<String, OptionalLong> tokens)
            throws SQLException {
        Set<String> held = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(HELD_FOR_SHARE)) {
            Array accounts = connection.createArrayOf("text", new TreeSet<>(tokens.keySet()).toArray(String[]::new));
            statement.setArray(1, accounts);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String account = rows.getString(1);
                    OptionalLong token = tokens.get(account);
                    if (owner.equals(rows.getString(2)) && token != null && token.isPresent()
                            && token.getAsLong() == rows.getLong(3)) {
                        held.add(account);
                    }
                }
            }
        }
        return held;
    }

    /** Account to status JSON, for every account that has a status. */
    public static Map<String, String> statuses(Connection connection) throws SQLException {
        TreeMap<String, String> statuses = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(STATUSES);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                statuses.put(rows.getString(1), rows.getString(2));
            }
        }
        return statuses;
    }

    /** The url of the instance holding the account's unexpired lease, if it has joined. */
    public static Optional<String> ownerUrl(Connection connection, String account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(OWNER_URL)) {
            statement.setString(1, account);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** Whether the account has a lease row: whether it is one of the cluster's. */
    public static boolean exists(Connection connection, String account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM account_lease WHERE account = ?")) {
            statement.setString(1, account);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Deletes the row if it is free or expired: nobody runs the account. */
    public static boolean deleteIfFree(Connection connection, String account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM account_lease WHERE account = ? AND (owner IS NULL"
                + " OR expires_at < " + DbTime.NOW_MS + ")")) {
            statement.setString(1, account);
            return statement.executeUpdate() == 1;
        }
    }
}
