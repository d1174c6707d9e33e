package io.tedeesync.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.LockSettings;
import io.tedeesync.sync.MirroredLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of {@code lock_snapshot} to and from {@link MirroredLock}. The caller owns the connection and
 * the transaction. Stateless.
 */
public final class SnapshotTable {
    private static final String UPSERT = "INSERT INTO lock_snapshot (account, serial_number, lock_id, name, type_code, "
            + "revision, connected, position_current, state_code, door_state_code, battery_level, charging, "
            + "state_change_result, last_state_changed_at, settings_json, synced_at, state_at, connection_at, battery_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (account, serial_number) DO UPDATE SET lock_id = excluded.lock_id, name = excluded.name, "
            + "type_code = excluded.type_code, revision = excluded.revision, connected = excluded.connected, "
            + "position_current = excluded.position_current, state_code = excluded.state_code, "
            + "door_state_code = excluded.door_state_code, battery_level = excluded.battery_level, "
            + "charging = excluded.charging, state_change_result = excluded.state_change_result, "
            + "last_state_changed_at = excluded.last_state_changed_at, settings_json = excluded.settings_json, "
            + "synced_at = excluded.synced_at, state_at = excluded.state_at, connection_at = excluded.connection_at, "
            + "battery_at = excluded.battery_at";
    private static final String DELETE = "DELETE FROM lock_snapshot WHERE account = ? AND serial_number = ?";
    private static final String DELETE_ACCOUNT = "DELETE FROM lock_snapshot WHERE account = ?";
    private static final String SELECT_ALL = "SELECT account, serial_number, lock_id, name, type_code, revision, "
            + "connected, position_current, state_code, door_state_code, battery_level, charging, state_change_result, "
            + "last_state_changed_at, settings_json, synced_at, state_at, connection_at, battery_at "
            + "FROM lock_snapshot ORDER BY account, serial_number";
    private static final String SELECT_ACCOUNT = SELECT_ALL.replace("ORDER BY account, serial_number",
            "WHERE account = ? ORDER BY serial_number");

    private static final String SELECT_SERIAL = SELECT_ALL.replace("ORDER BY account, serial_number",
            "WHERE serial_number = ? ORDER BY account");
    private static final String ACCOUNTS_OF_LOCK_ID = "SELECT DISTINCT account FROM lock_snapshot WHERE lock_id = ? ORDER BY account";

    private SnapshotTable() {
    }

    /** Inserts or replaces the copy of each lock (keyed by its account and serial number). */
    public static void upsert(Connection connection, Collection<MirroredLock> locks) throws SQLException {
        if (locks.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            for (MirroredLock lock : locks) {
                DeviceState state = lock.lastKnown();
                Columns columns = new Columns(statement);
                columns.text(lock.account());
                columns.text(lock.serialNumber());
                columns.bigint(lock.id());
                columns.text(lock.name());
                columns.integer(lock.typeCode());
                columns.bigint(lock.revision());
                columns.bool(lock.connected());
                columns.bool(lock.positionCurrent());
                columns.integer(state == null ? null : state.stateCode());
                columns.integer(state == null ? null : state.doorStateCode());
                columns.integer(state == null ? null : state.batteryLevel());
                columns.bool(state == null ? null : state.charging());
                columns.integer(state == null ? null : state.stateChangeResult());
                columns.time(state == null ? null : state.lastStateChangedDate());
                columns.text(settingsJson(lock.settings()));
                columns.time(lock.syncedAt());
                columns.time(lock.stateAt());
                columns.time(lock.connectionAt());
                columns.time(lock.batteryAt());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Deletes the copies of the given serials of one account (the same serial on another account stays). */
    public static void delete(Connection connection, String account, Collection<String> serialNumbers) throws SQLException {
        if (serialNumbers.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
            for (String serialNumber : serialNumbers) {
                statement.setString(1, account);
                statement.setString(2, serialNumber);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Deletes the copies of every lock of the account; returns how many there were. */
    public static int deleteAccount(Connection connection, String account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE_ACCOUNT)) {
            new Columns(statement).text(account);
            return statement.executeUpdate();
        }
    }

    /** Every copy, by account (accounts and locks in name order). */
    public static Map<String, List<MirroredLock>> loadAll(Connection connection) throws SQLException {
        Map<String, List<MirroredLock>> byAccount = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_ALL);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                MirroredLock lock = read(new Row(rows));
                byAccount.computeIfAbsent(lock.account(), account -> new ArrayList<>()).add(lock);
            }
        }
        Map<String, List<MirroredLock>> result = new LinkedHashMap<>();
        byAccount.forEach((account, locks) -> result.put(account, List.copyOf(locks)));
        return Collections.unmodifiableMap(result);
    }

    /** One account's copies, in serial order. */
    public static List<MirroredLock> loadAccount(Connection connection, String account) throws SQLException {
        List<MirroredLock> locks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_ACCOUNT)) {
            new Columns(statement).text(account);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    locks.add(read(new Row(rows)));
                }
            }
        }
        return List.copyOf(locks);
    }

    /** The copies of the locks of these accounts, by account (in chunks of 500 names per query). */
    public static Map<String, List<MirroredLock>> loadAccounts(Connection connection, Collection<String> accounts) throws SQLException {
        Map<String, List<MirroredLock>> byAccount = new java.util.HashMap<>();
        List<String> names = new ArrayList<>(accounts);
        for (int from = 0; from < names.size(); from += 500) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + 500));
            String sql = SELECT_ALL.replace("ORDER BY account, serial_number", "WHERE account IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ") ORDER BY account, serial_number");
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Columns columns = new Columns(statement);
                for (String name : chunk) {
                    columns.text(name);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        MirroredLock lock = read(new Row(rows));
                        byAccount.computeIfAbsent(lock.account(), account -> new ArrayList<>()).add(lock);
                    }
                }
            }
        }
        Map<String, List<MirroredLock>> result = new java.util.HashMap<>();
        byAccount.forEach((account, locks) -> result.put(account, List.copyOf(locks)));
        return Collections.unmodifiableMap(result);
    }

    /** The copies of the lock with this serial number, one per account that has it, by account. */
    public static List<MirroredLock> loadSerial(Connection connection, String serialNumber) throws SQLException {
        List<MirroredLock> locks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_SERIAL)) {
            new Columns(statement).text(serialNumber);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    locks.add(read(new Row(rows)));
                }
            }
        }
        return List.copyOf(locks);
    }

    /** The accounts whose copies include a lock of this id (the lock id a webhook names), by name. */
    public static List<String> accountsOfLockId(Connection connection, long lockId) throws SQLException {
        List<String> accounts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(ACCOUNTS_OF_LOCK_ID)) {
            new Columns(statement).bigint(lockId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    accounts.add(rows.getString(1));
                }
            }
        }
        return List.copyOf(accounts);
    }

    private static MirroredLock read(Row row) throws SQLException {
        String account = row.text();
        String serialNumber = row.text();
        long id = row.bigint();
        String name = row.text();
        int typeCode = row.integer();
        long revision = row.bigint();
        boolean connected = row.bool();
        boolean positionCurrent = row.bool();
        Integer stateCode = row.nullableInteger();
        Integer doorStateCode = row.nullableInteger();
        Integer batteryLevel = row.nullableInteger();
        Boolean charging = row.nullableBool();
        Integer stateChangeResult = row.nullableInteger();
        var lastStateChangedAt = row.time();
        DeviceState lastKnown = stateCode == null ? null
                : new DeviceState(stateCode, doorStateCode == null ? 0 : doorStateCode, batteryLevel, charging,
                        stateChangeResult, lastStateChangedAt);
        LockSettings settings = settings(row.text(), account, serialNumber);
        return new MirroredLock(account, serialNumber, id, name, typeCode, revision, connected, positionCurrent,
                lastKnown, settings, row.time(), row.time(), row.time(), row.time());
    }

    private static String settingsJson(LockSettings settings) {
        if (settings == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write lock settings as JSON: " + e.getMessage(), e);
        }
    }

    private static LockSettings settings(String json, String account, String serialNumber) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, LockSettings.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable settings of lock " + serialNumber + " (account " + account + "): "
                    + e.getOriginalMessage(), e);
        }
    }
}
