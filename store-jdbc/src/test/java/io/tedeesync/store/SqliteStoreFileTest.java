package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.client.LockState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The embedded file: what may be opened, what is refused and left as it was, how it is opened. */
class SqliteStoreFileTest {
    @TempDir
    Path dataDir;

    private Path file() {
        return dataDir.resolve(StoreConfig.FILE_NAME);
    }

    static Stream<Arguments> filesThatAreNotSqlite() {
        byte[] random = new byte[8192];
        new Random(7).nextBytes(random);
        byte[] header = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        byte[] damaged = new byte[4096];
        new Random(11).nextBytes(damaged);
        System.arraycopy(header, 0, damaged, 0, header.length);
        return Stream.of(
                Arguments.of("random bytes", random, "not a SQLite file"),
                Arguments.of("a text file", "lock,state\nSN-1,LOCKED\n".getBytes(StandardCharsets.UTF_8), "not a SQLite file"),
                Arguments.of("a SQLite header over garbage", damaged, "unreadable SQLite file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesThatAreNotSqlite")
    void aFileThatIsNotSqliteIsRefusedAndLeftUntouched(String what, byte[] content, String reason) throws IOException {
        Files.write(file(), content);

        assertThatThrownBy(() -> LockStore.open(StoreConfig.sqlite(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(file() + " is not a tedee-sync database (")
                .hasMessageContaining(reason)
                .hasMessageEndingWith("); move it away or point --data elsewhere");
        assertThat(Files.readAllBytes(file())).isEqualTo(content);
        assertThat(siblingsOfTheFile()).isEmpty();
    }

    @Test
    void aSqliteDatabaseOfSomethingElseIsRefusedAndLeftUntouched() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            statement.execute("INSERT INTO customers (name) VALUES ('Ada')");
            // Even another application's Flyway history does not make it ours.
            statement.execute("CREATE TABLE flyway_schema_history (installed_rank INT, version TEXT)");
        }
        byte[] before = Files.readAllBytes(file());

        assertThatThrownBy(() -> LockStore.open(StoreConfig.sqlite(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessage(file() + " is not a tedee-sync database (a SQLite database of something else, with tables "
                        + "customers, flyway_schema_history); move it away or point --data elsewhere");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        assertThat(siblingsOfTheFile()).isEmpty();
    }

    @Test
    void anEmptyFileIsInitialisedAsANewStore() throws IOException {
        Files.createFile(file());

        try (LockStore store = LockStore.open(StoreConfig.sqlite(dataDir))) {
            store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
            assertThat(store.lastEventId()).isEqualTo(1);
        }
        assertThat(Files.size(file())).isPositive();
    }

    @Test
    void aStoreWrittenByANewerVersionIsRefused() throws Exception {
        try (LockStore store = LockStore.open(StoreConfig.sqlite(dataDir))) {
            store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO tedee_sync_schema_history (installed_rank, version, description, type, "
                    + "script, checksum, installed_by, execution_time, success) "
                    + "SELECT MAX(installed_rank) + 1, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, "
                    + "'test', 1, 1 FROM tedee_sync_schema_history");
        }

        assertThatThrownBy(() -> LockStore.open(StoreConfig.sqlite(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessage("SQLite " + file() + " was written by a newer tedee-sync (schema version 99 is unknown "
                        + "to this one); use that version, or move it away or point --data elsewhere");
        assertThat(count("SELECT COUNT(*) FROM lock_event")).isEqualTo(1);
    }

    @Test
    void aStoreWhoseMigrationWasAlteredIsRefused() throws Exception {
        try (LockStore store = LockStore.open(StoreConfig.sqlite(dataDir))) {
            store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE tedee_sync_schema_history SET checksum = 12345 WHERE version = '1'");
        }

        assertThatThrownBy(() -> LockStore.open(StoreConfig.sqlite(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("SQLite " + file() + " does not hold a schema this version of tedee-sync knows (")
                .hasMessageContaining("checksum mismatch for migration version 1")
                .hasMessageEndingWith("); move it away or point --data elsewhere");
        assertThat(count("SELECT COUNT(*) FROM lock_event")).isEqualTo(1);
    }

    @Test
    void aMissingDataDirectoryIsCreated() {
        Path nested = dataDir.resolve("a").resolve("b");

        try (LockStore store = LockStore.open(StoreConfig.sqlite(nested))) {
            assertThat(store.describe()).isEqualTo("SQLite " + nested.resolve("tedee-sync.db"));
        }
        assertThat(nested.resolve("tedee-sync.db")).isRegularFile();
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws IOException {
        Path notADirectory = Files.writeString(dataDir.resolve("data"), "I am a file");

        assertThatThrownBy(() -> LockStore.open(StoreConfig.sqlite(notADirectory)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot create the data directory " + notADirectory);
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        LockStore first = LockStore.open(StoreConfig.sqlite(dataDir));

        assertThatThrownBy(() -> LockStore.open(StoreConfig.sqlite(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is in use by another tedee-sync store")
                .hasMessageContaining("SQLite is single-instance").hasMessageContaining("--database");

        first.close();
        try (LockStore second = LockStore.open(StoreConfig.sqlite(dataDir))) {
            assertThat(second.lastEventId()).isZero();
        }
    }

    @Test
    void theFileIsOpenedInWalModeSoThatReadersDoNotWaitForTheWriter() throws Exception {
        try (LockStore store = LockStore.open(StoreConfig.sqlite(dataDir))) {
            store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
            assertThat(Files.exists(dataDir.resolve("tedee-sync.db-wal"))).isTrue();
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("wal");
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Journal, WAL or shared-memory files beside the database: a sign it was opened for writing. */
    private List<String> siblingsOfTheFile() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith(StoreConfig.FILE_NAME + "-"))
                    .toList();
        }
    }
}
