package io.tedeesync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The migrations this build knows without asking Flyway are the files it ships: a script added to
 * {@code db/migration} but not to {@link Migrations#SCRIPTS} would let a store of the older schema pass
 * as current and never be migrated.
 */
class MigrationScriptsTest {
    @Test
    void theListedScriptsAreExactlyTheShippedOnesInVersionOrder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", Migrations.LOCATION))) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted(java.util.Comparator.comparingInt(
                    (String name) -> Integer.parseInt(Migrations.version(name).split("\\.")[0])))).containsExactlyElementsOf(Migrations.SCRIPTS);
        }
    }
}
