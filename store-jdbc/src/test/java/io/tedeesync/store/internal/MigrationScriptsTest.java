package io.tedeesync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations this build knows without asking Flyway are the files it ships: a script added to
 * {@code db/migration} but not to {@link Migrations#SCRIPTS} would let a store of the older schema pass
 * as current and never be migrated. The same for the tables: one missing from {@link Migrations#TABLES}
 * would let a store that lacks it pass as current.
 */
class MigrationScriptsTest {
    @Test
    void theListedScriptsAreExactlyTheShippedOnesInVersionOrder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", Migrations.LOCATION))) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted(java.util.Comparator.comparingInt(
                    (String name) -> Integer.parseInt(Migrations.version(name).split("\\.")[0])))).containsExactlyElementsOf(Migrations.SCRIPTS);
        }
    }

    @Test
    void theListedTablesAreExactlyTheOnesANewStoreHolds(@TempDir Path dataDir) throws SQLException {
        try (Database database = Database.open(StoreConfig.sqlite(dataDir));
                Connection connection = database.connection()) {
            assertThat(Migrations.tables(connection, true)).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(Migrations.TABLES.stream(), Stream.of(Migrations.HISTORY_TABLE)).toList());
        }
    }
}
