package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static io.tedeesync.store.Fixtures.moving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.MirroredLock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One store hears what another appended to the same PostgreSQL database, through LISTEN/NOTIFY. */
class EventNotificationsTest {
    private final ClusterDatabase database = new ClusterDatabase();
    private final LockStore listening = database.open();
    private final LockStore writing = database.open();
    private final List<Long> heard = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(EventNotifications.class);

    EventNotificationsTest() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void close() {
        logger.detachAppender(logged);
        database.close();
    }

    private static List<Thread> listenThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(EventNotifications.THREAD_NAME) && thread.isAlive()).toList();
    }

    private List<ILoggingEvent> warnings() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN).toList();
    }

    @Test
    void anotherStoresCommitsArriveWithTheirHighestIdAndRaiseLastEventId() {
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        writing.onChanges(adding(door, at(1)));
        EventNotifications notifications = listening.listen(heard::add);
        await().untilAsserted(() -> assertThat(heard).as("the counter, on connecting").containsExactly(1L));
        assertThat(notifications.isConnected()).isTrue();

        writing.onBatches(List.of(moving(door, LockState.UNLOCKED, at(2)), moving(door, LockState.LOCKED, at(3)),
                adding(lock("home", "SN-2", 2, LockState.LOCKED), at(4))));

        await().untilAsserted(() -> assertThat(heard).containsExactly(1L, 4L));
        assertThat(listening.lastEventId()).isEqualTo(4);
        writing.onChanges(moving(door, LockState.UNLOCKED, at(5)));
        await().untilAsserted(() -> assertThat(heard).containsExactly(1L, 4L, 5L));
        assertThat(listening.lastEventId()).isEqualTo(5);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aLostConnectionIsOneWarningAndTheReconnectionCallsBackWithWhatWasWrittenMeanwhile() throws Exception {
        EventNotifications notifications = listening.listen(heard::add);
        await().untilAsserted(() -> assertThat(heard).containsExactly(0L));

        database.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = '" + EventNotifications.THREAD_NAME + "'");
        await().untilAsserted(() -> assertThat(warnings()).hasSize(1));
        assertThat(notifications.isConnected()).isFalse();
        // Written while nobody listens (the first retry is a second away): no notification reaches it.
        writing.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        writing.onChanges(adding(lock("home", "SN-2", 2, LockState.LOCKED), at(2)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard).containsExactly(0L, 2L));
        assertThat(notifications.isConnected()).isTrue();
        assertThat(listening.lastEventId()).isEqualTo(2);
        assertThat(warnings()).singleElement().satisfies(warning -> assertThat(warning.getFormattedMessage())
                .startsWith("Not listening for the events of PostgreSQL jdbc:postgresql://")
                .doesNotContain(ClusterDatabase.PASSWORD));
    }

    @Test
    void aFailingCallbackIsLoggedAndTheNextNotificationStillArrives() {
        listening.listen(id -> {
            heard.add(id);
            if (heard.size() == 1) {
                throw new IllegalStateException("listener bug");
            }
        });
        await().untilAsserted(() -> assertThat(heard).containsExactly(0L));

        writing.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));

        await().untilAsserted(() -> assertThat(heard).containsExactly(0L, 1L));
        assertThat(warnings()).singleElement().satisfies(warning ->
                assertThat(warning.getThrowableProxy().getMessage()).isEqualTo("listener bug"));
    }

    @Test
    void closingStopsTheDaemonThreadWithinASecondAndClosingTheStoreStopsItsListeners() {
        assertThat(listenThreads()).isEmpty();
        EventNotifications notifications = listening.listen(heard::add);
        await().until(notifications::isConnected);
        assertThat(listenThreads()).singleElement().satisfies(thread -> assertThat(thread.isDaemon()).isTrue());

        long start = System.nanoTime();
        notifications.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(listenThreads()).isEmpty();
        assertThat(notifications.isConnected()).isFalse();
        notifications.close();

        EventNotifications another = listening.listen(heard::add);
        await().until(another::isConnected);
        listening.close();
        assertThat(listenThreads()).isEmpty();
    }
}
