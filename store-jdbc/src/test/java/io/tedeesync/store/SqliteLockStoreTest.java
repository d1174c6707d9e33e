package io.tedeesync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The store's contract on the embedded SQLite file. */
class SqliteLockStoreTest extends LockStoreContract {
    private static final String SINGLE_INSTANCE =
            "SQLite is single-instance: use --database postgresql://... to run several instances";

    @TempDir
    Path dataDir;

    @Test
    void theClusterFenceAndListenerAreRefusedWithOneLine() {
        LockStore store = open();
        Fence fence = new Fence() {
            @Override
            public String owner() {
                return "a";
            }

            @Override
            public OptionalLong token(String account) {
                return OptionalLong.of(1);
            }
        };

        assertThatThrownBy(() -> store.cluster(Clock.systemUTC())).isInstanceOf(StoreException.class)
                .hasMessage(SINGLE_INSTANCE);
        assertThatThrownBy(() -> store.fence(fence)).isInstanceOf(StoreException.class).hasMessage(SINGLE_INSTANCE);
        assertThatThrownBy(() -> store.listen(id -> { })).isInstanceOf(StoreException.class).hasMessage(SINGLE_INSTANCE);
        store.onChanges(Fixtures.adding(Fixtures.lock("home", "SN-1", 1, io.tedeesync.client.LockState.LOCKED), Fixtures.at(1)));
        assertThat(store.fencedBatches()).isZero();
        assertThat(store.lastEventId()).as("still writing, unfenced").isEqualTo(1);
    }

    @Override
    StoreConfig config() {
        return StoreConfig.sqlite(dataDir);
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(StoreConfig.FILE_NAME));
    }

    @Override
    List<String> poisonTrigger() {
        return List.of("CREATE TRIGGER reject_poison BEFORE INSERT ON lock_event WHEN NEW.serial_number = 'POISON' "
                + "BEGIN SELECT RAISE(ABORT, 'poisoned serial'); END");
    }

    @Override
    String expectedDescription() {
        return "SQLite " + dataDir.toAbsolutePath().normalize().resolve("tedee-sync.db");
    }

    @Override
    DataSource rawDataSource() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dataDir.resolve(StoreConfig.FILE_NAME));
        return dataSource;
    }

    @Override
    List<String> refuseEventDeletes() {
        return List.of("CREATE TRIGGER keep_events BEFORE DELETE ON lock_event BEGIN SELECT RAISE(ABORT, 'events are kept'); END");
    }

    @Override
    List<String> refuseAccountsQuotingTheirRow() {
        // SQLite names no values in its own errors; a trigger quotes the row as PostgreSQL's would.
        String raise = "WHEN NEW.api_version = 'refused' BEGIN "
                + "SELECT RAISE(ABORT, 'refused row (' || NEW.name || ', ' || NEW.sealed_credentials || ')'); END";
        return List.of("CREATE TRIGGER refuse_account_insert BEFORE INSERT ON account " + raise,
                "CREATE TRIGGER refuse_account_update BEFORE UPDATE ON account " + raise);
    }
}
