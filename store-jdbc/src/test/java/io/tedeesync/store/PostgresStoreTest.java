package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tedeesync.client.LockState;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What only PostgreSQL has: a server that may be elsewhere, shared with others, behind a password. */
class PostgresStoreTest {
    private static final String SECRET = "s3cret-Pa55word";

    @Test
    void aDatabaseHoldingOtherTablesIsRefusedAndLeftAsItWas() throws SQLException {
        String url = EmbeddedPostgresHolder.newDatabase();
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresHolder.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, total NUMERIC)");
        }

        assertThatThrownBy(() -> LockStore.open(StoreConfig.postgres(url, EmbeddedPostgresHolder.USER, null)))
                .isInstanceOf(StoreException.class)
                .hasMessage("PostgreSQL " + url + " is not a tedee-sync database (it holds other tables: invoices); "
                        + "use an empty database or schema for tedee-sync");
        assertThat(tables(url)).containsExactly("invoices");
    }

    @Test
    void thePasswordIsShownNowhereNotInDescribeToStringOrTheLogs() {
        String url = EmbeddedPostgresHolder.newDatabase() + "?password=" + SECRET + "&ApplicationName=tedee-sync";
        StoreConfig config = StoreConfig.postgres(url, EmbeddedPostgresHolder.USER, SECRET);
        List<ILoggingEvent> logged = captureLogs(() -> {
            try (LockStore store = LockStore.open(config)) {
                store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
                assertThat(store.describe()).startsWith("PostgreSQL jdbc:postgresql://localhost:")
                        .contains("password=***").doesNotContain(SECRET);
                assertThat(store.toString()).doesNotContain(SECRET);
            }
        });

        assertThat(config.toString()).contains("password=***").doesNotContain(SECRET);
        assertThat(logged).as("the pool, the migrations and the store all logged")
                .anySatisfy(event -> assertThat(event.getLoggerName()).startsWith("com.zaxxer.hikari"))
                .anySatisfy(event -> assertThat(event.getLoggerName()).startsWith("org.flywaydb"))
                .anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("Store PostgreSQL"));
        assertThat(logged).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(SECRET);
            if (event.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).doesNotContain(SECRET);
            }
        });
    }

    @Test
    void anUnreachableServerFailsOpenWithAClearMessageWithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://localhost:" + closedPort + "/tedeesync?password=" + SECRET;

        assertThatThrownBy(() -> LockStore.open(StoreConfig.postgres(url, "tedee", SECRET)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL jdbc:postgresql://localhost:" + closedPort
                        + "/tedeesync?password=***: ")
                .hasMessageContaining("refused")
                .message().doesNotContain(SECRET);
    }

    @Test
    void anUnreachableServerIsOneClearErrorNotAStackTraceInTheLog() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StoreConfig config = StoreConfig.postgres("jdbc:postgresql://localhost:" + closedPort + "/tedeesync", "tedee", null);

        List<ILoggingEvent> logged = captureLogs(() ->
                assertThatThrownBy(() -> LockStore.open(config)).isInstanceOf(StoreException.class));

        assertThat(logged).noneSatisfy(event -> assertThat(event.getThrowableProxy()).isNotNull());
        assertThat(logged).noneSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.ERROR));
    }

    @Test
    void twoStoresRacingToAddTheSameNamesAddEachExactlyOnce() throws Exception {
        // Two servers on one database (or a retried request): the key decides, not a read before the write.
        StoreConfig config = StoreConfig.postgres(EmbeddedPostgresHolder.newDatabase(), EmbeddedPostgresHolder.USER, null);
        int names = 200;
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try (LockStore first = LockStore.open(config); LockStore second = LockStore.open(config)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Boolean>>> results = new ArrayList<>();
            for (LockStore store : List.of(first, second)) {
                results.add(racers.submit(() -> {
                    start.await();
                    List<Boolean> added = new ArrayList<>();
                    for (int i = 0; i < names; i++) {
                        added.add(store.insertAccount(Fixtures.account("account-" + i, at(i))));
                    }
                    return added;
                }));
            }
            start.countDown();
            List<Boolean> byFirst = results.get(0).get(60, TimeUnit.SECONDS);
            List<Boolean> bySecond = results.get(1).get(60, TimeUnit.SECONDS);

            for (int i = 0; i < names; i++) {
                assertThat(byFirst.get(i) ^ bySecond.get(i)).as("account-" + i + " added by exactly one").isTrue();
            }
            assertThat(first.loadAccounts()).hasSize(names);
        } finally {
            racers.shutdownNow();
        }
    }

    private static List<String> tables(String url) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresHolder.USER, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = current_schema() ORDER BY table_name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** Runs {@code work} with everything the store and its libraries log at DEBUG captured. */
    private static List<ILoggingEvent> captureLogs(Runnable work) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        Map<Logger, Level> previous = new java.util.HashMap<>();
        for (String name : List.of("com.zaxxer.hikari", "org.flywaydb", "org.postgresql", "io.tedeesync")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previous.put(logger, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        try {
            work.run();
        } finally {
            previous.forEach(Logger::setLevel);
            root.detachAppender(appender);
        }
        return List.copyOf(appender.list);
    }
}
