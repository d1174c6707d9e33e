package io.tedeesync.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A store whose schema is current opens without Flyway (its set-up and validation were a fifth of the
 * service's start), on SQLite and on PostgreSQL; which proves, too, that the checksums computed for the
 * check are the ones Flyway wrote. What is not current still goes through Flyway: see
 * {@code SqliteStoreFileTest} (altered script, newer version) and the first opens here.
 */
class CurrentSchemaTest {
    @TempDir
    Path dataDir;

    /** Events of the org.flywaydb loggers, at DEBUG, while {@code work} runs. */
    private static List<ILoggingEvent> flywayLines(Runnable work) {
        Logger flyway = (Logger) LoggerFactory.getLogger("org.flywaydb");
        Level previous = flyway.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        flyway.addAppender(appender);
        flyway.setLevel(Level.DEBUG);
        try {
            work.run();
        } finally {
            flyway.setLevel(previous);
            flyway.detachAppender(appender);
        }
        return List.copyOf(appender.list);
    }

    private static void openAndClose(StoreConfig config) {
        try (LockStore store = LockStore.open(config)) {
            assertThat(store.lastEventId()).isZero();
        }
    }

    @Test
    void aCurrentSqliteStoreOpensWithoutFlyway() {
        StoreConfig config = StoreConfig.sqlite(dataDir);
        assertThat(flywayLines(() -> openAndClose(config))).as("a new store is made by Flyway").isNotEmpty();

        assertThat(flywayLines(() -> openAndClose(config))).isEmpty();
    }

    @Test
    void aCurrentPostgresStoreOpensWithoutFlyway() {
        StoreConfig config = StoreConfig.postgres(EmbeddedPostgresHolder.newDatabase(), EmbeddedPostgresHolder.USER, null);
        assertThat(flywayLines(() -> openAndClose(config))).as("a new store is made by Flyway").isNotEmpty();

        assertThat(flywayLines(() -> openAndClose(config))).isEmpty();
    }
}
