package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.T0;
import static io.tedeesync.store.Fixtures.adding;
import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static io.tedeesync.store.Fixtures.moving;
import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.LockState;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.MirroredLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the outbound webhooks' tables must do on every database: run on SQLite and on PostgreSQL by the
 * subclasses, each on a fresh database per test.
 */
abstract class WebhookStoreContract {
    private static final String SEALED = "sealed:v1:ep:c2VjcmV0LWJ1dC1zZWFsZWQtYW5kLWxvbmc";
    private final List<LockStore> opened = new ArrayList<>();

    abstract StoreConfig config();

    /** A connection of the test's own, to tamper with the database. */
    abstract Connection rawConnection() throws SQLException;

    LockStore open() {
        LockStore store = LockStore.open(config());
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(LockStore::close);
    }

    static WebhookEndpointRow endpoint(String id, List<String> types, List<String> accounts) {
        return new WebhookEndpointRow(id, "https://hooks.example.com/" + id, "for " + id, types, accounts, SEALED, null, null, true,
                null, null, null, 999, T0, T0);
    }

    /** Queues every event of the log for the endpoint, payload "body-<id>". */
    static int fanOutAll(WebhookStore webhooks, String endpointId, Instant now) {
        return webhooks.fanOut(endpointId, event -> true, event -> "body-" + event.id(), now, 1000);
    }

    @Test
    void anEndpointStartsAfterTheNewestEventAndKeepsEveryField() {
        LockStore store = open();
        store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        WebhookStore webhooks = store.webhooks();

        WebhookEndpointRow stored = webhooks.insertEndpoint(endpoint("ep_a", List.of("StateChanged"), List.of("home")));

        assertThat(stored.cursor()).as("no back-fill: after the newest event, whatever the row said").isEqualTo(1);
        assertThat(stored).isEqualTo(new WebhookEndpointRow("ep_a", "https://hooks.example.com/ep_a", "for ep_a", List.of("StateChanged"),
                List.of("home"), SEALED, null, null, true, null, null, null, 1, T0, T0));
        assertThat(webhooks.endpoints()).containsExactly(stored);
        assertThat(stored.toString()).doesNotContain(SEALED).contains("secrets=hidden");
        assertThat(fanOutAll(webhooks, "ep_a", at(2))).as("the event before it is not queued").isZero();

        WebhookEndpointRow changed = stored.withUrl("https://other.example.com/x").withDescription(null).withEventTypes(null)
                .withAccounts(List.of("home", "office")).withSecrets("sealed-new", SEALED, at(100)).withUpdatedAt(at(3));
        assertThat(webhooks.updateEndpoint(changed, stored.updatedAt())).isTrue();
        assertThat(webhooks.endpoint("ep_a")).contains(changed);
        assertThat(webhooks.updateEndpoint(endpoint("ep_missing", null, null), T0)).isFalse();
        assertThat(webhooks.endpoint("ep_missing")).isEmpty();
    }

    @Test
    void fanOutQueuesTheMatchingEventsOnceAndMovesTheCursorPastAllItRead() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        MirroredLock door = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(door, at(1)));
        store.onChanges(moving(door, LockState.UNLOCKED, at(2)));
        store.onChanges(Fixtures.events("home", at(3), new AccountEvent.AccountDegraded("home", at(3), "slow")));

        int read = webhooks.fanOut("ep_a", event -> !event.type().equals("Added"), event -> "body-" + event.id(), at(4), 1000);

        assertThat(read).isEqualTo(3);
        assertThat(webhooks.endpoint("ep_a").orElseThrow().cursor()).isEqualTo(3);
        List<DeliveryRow> deliveries = webhooks.deliveries("ep_a", Long.MAX_VALUE, 10);
        assertThat(deliveries).extracting(DeliveryRow::eventId).containsExactly(3L, 2L);
        assertThat(deliveries.get(1)).isEqualTo(new DeliveryRow("ep_a", 2, "StateChanged", "SN-1", "body-2", DeliveryState.PENDING, 0,
                at(4), at(4), null, null, null));
        assertThat(deliveries.get(0).orderingKey()).isEqualTo("account:home");
        assertThat(fanOutAll(webhooks, "ep_a", at(5))).as("caught up").isZero();
        assertThat(webhooks.pendingCounts()).isEqualTo(Map.of("ep_a", 2L));
    }

    @Test
    void aLocksDeliveriesAreDueOneAtATimeInEventOrderAndOtherLocksDoNotWait() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        MirroredLock one = lock("home", "SN-1", 1, LockState.LOCKED);
        MirroredLock two = lock("home", "SN-2", 2, LockState.LOCKED);
        store.onChanges(adding(one, at(1)));
        store.onChanges(adding(two, at(1)));
        store.onChanges(moving(one, LockState.UNLOCKED, at(2)));
        fanOutAll(webhooks, "ep_a", at(3));

        List<DeliveryRow> due = webhooks.due("ep_a", at(3), Set.of(), 10);
        assertThat(due).extracting(DeliveryRow::eventId).as("SN-1's second event waits behind its first").containsExactly(1L, 2L);
        assertThat(webhooks.due("ep_a", at(3), Set.of("SN-1"), 10)).extracting(DeliveryRow::eventId).containsExactly(2L);
        assertThat(webhooks.due("ep_a", at(3), Set.of(), 1)).extracting(DeliveryRow::eventId).containsExactly(1L);

        // The first fails and is retried later: the one behind it still waits.
        DeliveryRow first = due.get(0);
        assertThat(webhooks.recordAttempt(new AttemptRow("ep_a", 1, 1, at(3), 500, 12, "HTTP 500"),
                first.withOutcome(DeliveryState.PENDING, 1, at(60), null, 500, "HTTP 500"))).isTrue();
        assertThat(webhooks.due("ep_a", at(10), Set.of(), 10)).extracting(DeliveryRow::eventId).containsExactly(2L);
        assertThat(webhooks.nextDue("ep_a", Set.of())).as("SN-2's, due since 3").contains(at(3));
        assertThat(webhooks.nextDue("ep_a", Set.of("SN-2"))).as("SN-2 in flight: SN-1's retry").contains(at(60));
        assertThat(webhooks.nextDue("ep_a", Set.of("SN-1", "SN-2"))).isEmpty();

        // Delivered: the next of its lock is due at once.
        assertThat(webhooks.recordAttempt(new AttemptRow("ep_a", 1, 2, at(60), 200, 8, null),
                first.withOutcome(DeliveryState.DELIVERED, 2, null, at(60), 200, null))).isTrue();
        assertThat(webhooks.due("ep_a", at(60), Set.of(), 10)).extracting(DeliveryRow::eventId).containsExactly(2L, 3L);
        assertThat(webhooks.attempts("ep_a", 1)).containsExactly(new AttemptRow("ep_a", 1, 1, at(3), 500, 12, "HTTP 500"),
                new AttemptRow("ep_a", 1, 2, at(60), 200, 8, null));
        assertThat(webhooks.delivery("ep_a", 1).orElseThrow()).extracting(DeliveryRow::state, DeliveryRow::attempts,
                DeliveryRow::nextAttemptAt, DeliveryRow::finishedAt, DeliveryRow::lastStatus)
                .containsExactly(DeliveryState.DELIVERED, 2, null, at(60), 200);
    }

    @Test
    void attemptsRecordedTogetherAreStoredInOneGoAndAGoneDeliveryIsLeftOut() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        MirroredLock one = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(one, at(1)));
        store.onChanges(moving(one, LockState.UNLOCKED, at(2)));
        store.onChanges(adding(lock("home", "SN-2", 2, LockState.LOCKED), at(2)));
        fanOutAll(webhooks, "ep_a", at(3));
        DeliveryRow first = webhooks.delivery("ep_a", 1).orElseThrow();
        DeliveryRow third = webhooks.delivery("ep_a", 3).orElseThrow();
        RecordedAttempt gone = new RecordedAttempt(new AttemptRow("ep_a", 99, 1, at(4), 200, 1, null),
                new DeliveryRow("ep_a", 99, "StateChanged", "SN-9", "x", DeliveryState.DELIVERED, 1, null, at(3), at(4), 200, null));
        List<RecordedAttempt> batch = List.of(
                new RecordedAttempt(new AttemptRow("ep_a", 1, 1, at(4), 200, 5, null),
                        first.withOutcome(DeliveryState.DELIVERED, 1, null, at(4), 200, null)),
                gone,
                new RecordedAttempt(new AttemptRow("ep_a", 3, 1, at(4), 204, 6, null),
                        third.withOutcome(DeliveryState.DELIVERED, 1, null, at(4), 204, null)));

        assertThat(webhooks.recordAttempts(batch)).containsExactly(batch.get(0), batch.get(2));
        assertThat(webhooks.deliveries("ep_a", Long.MAX_VALUE, 10)).extracting(DeliveryRow::eventId, DeliveryRow::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, DeliveryState.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple(2L, DeliveryState.PENDING),
                        org.assertj.core.groups.Tuple.tuple(1L, DeliveryState.DELIVERED));
        assertThat(webhooks.due("ep_a", at(4), Set.of(), 10)).extracting(DeliveryRow::eventId)
                .as("SN-1's next is due once its first is recorded").containsExactly(2L);
        assertThat(webhooks.attempts("ep_a", 3)).extracting(AttemptRow::status).containsExactly(204);
    }

    @Test
    void aGivenUpDeliveryLetsTheNextGoAndARetryMakesItPendingAgain() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        MirroredLock one = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(one, at(1)));
        store.onChanges(moving(one, LockState.UNLOCKED, at(2)));
        fanOutAll(webhooks, "ep_a", at(3));
        DeliveryRow first = webhooks.delivery("ep_a", 1).orElseThrow();

        webhooks.recordAttempt(new AttemptRow("ep_a", 1, 1, at(3), null, 15_000, "timed out"),
                first.withOutcome(DeliveryState.FAILED, 1, null, at(3), null, "timed out"));
        assertThat(webhooks.due("ep_a", at(4), Set.of(), 10)).extracting(DeliveryRow::eventId).containsExactly(2L);

        assertThat(webhooks.retry("ep_a", 1, at(5))).isTrue();
        assertThat(webhooks.delivery("ep_a", 1).orElseThrow()).extracting(DeliveryRow::state, DeliveryRow::nextAttemptAt,
                DeliveryRow::finishedAt).containsExactly(DeliveryState.PENDING, at(5), null);
        assertThat(webhooks.retry("ep_a", 99, at(5))).isFalse();
        assertThat(webhooks.recordAttempt(new AttemptRow("ep_a", 99, 1, at(3), 200, 1, null),
                new DeliveryRow("ep_a", 99, "StateChanged", "SN-1", "x", DeliveryState.DELIVERED, 1, null, at(3), at(3), 200, null)))
                .as("a delivery that is gone").isFalse();
    }

    @Test
    void theQueueSurvivesAReopenAndAHeadLostToARaceIsRepaired() throws SQLException {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        MirroredLock one = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(one, at(1)));
        store.onChanges(moving(one, LockState.UNLOCKED, at(2)));
        fanOutAll(webhooks, "ep_a", at(3));
        store.close();
        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE webhook_delivery SET next_attempt_at = NULL WHERE event_id = 1");
        }

        WebhookStore reopened = open().webhooks();

        assertThat(reopened.pendingCounts()).isEqualTo(Map.of("ep_a", 2L));
        assertThat(reopened.due("ep_a", at(4), Set.of(), 10)).as("a read repairs nothing").isEmpty();
        assertThat(reopened.repairOrder("ep_a", at(4))).isEqualTo(1);
        assertThat(reopened.due("ep_a", at(4), Set.of(), 10)).extracting(DeliveryRow::eventId)
                .as("the oldest of the lock gets a time again; the one behind it still waits").containsExactly(1L);
        assertThat(reopened.delivery("ep_a", 1).orElseThrow().nextAttemptAt()).as("the time given, not a far future").isEqualTo(at(4));
    }

    @Test
    void failingRunsKeepTheirStartAndADisableKeepsItsFirstReason() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));

        webhooks.markFailing("ep_a", at(1));
        webhooks.markFailing("ep_a", at(2));
        assertThat(webhooks.endpoint("ep_a").orElseThrow().failingSince()).isEqualTo(at(1));
        webhooks.markHealthy("ep_a", at(2));
        assertThat(webhooks.endpoint("ep_a").orElseThrow().failingSince()).isNull();

        webhooks.disable("ep_a", "the receiver answered 410 Gone", at(3));
        webhooks.disable("ep_a", "another reason", at(4));
        WebhookEndpointRow disabled = webhooks.endpoint("ep_a").orElseThrow();
        assertThat(disabled).extracting(WebhookEndpointRow::enabled, WebhookEndpointRow::disabledReason, WebhookEndpointRow::disabledAt)
                .containsExactly(false, "the receiver answered 410 Gone", at(3));
        store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(5)));
        assertThat(fanOutAll(webhooks, "ep_a", at(6))).as("nothing is queued while disabled").isZero();

        assertThat(webhooks.updateEndpoint(disabled.withEnabled(true, null, null), disabled.updatedAt())).isTrue();
        assertThat(fanOutAll(webhooks, "ep_a", at(7))).as("enabled again: it catches up from its cursor").isEqualTo(1);
    }

    @Test
    void deletingAnEndpointDeletesItsQueueAndPruningDeletesOnlyFinishedDeliveries() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        webhooks.insertEndpoint(endpoint("ep_b", null, null));
        store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        store.onChanges(adding(lock("home", "SN-2", 2, LockState.LOCKED), at(1)));
        fanOutAll(webhooks, "ep_a", at(2));
        fanOutAll(webhooks, "ep_b", at(2));
        DeliveryRow delivered = webhooks.delivery("ep_b", 1).orElseThrow();
        webhooks.recordAttempt(new AttemptRow("ep_b", 1, 1, at(2), 204, 3, null),
                delivered.withOutcome(DeliveryState.DELIVERED, 1, null, at(2), 204, null));

        assertThat(webhooks.deleteEndpoint("ep_a")).isTrue();
        assertThat(webhooks.deleteEndpoint("ep_a")).isFalse();
        assertThat(webhooks.pendingCounts()).isEqualTo(Map.of("ep_b", 1L));

        assertThat(webhooks.pruneFinishedBefore(at(2))).as("finished at the cutoff, not before").isZero();
        assertThat(webhooks.pruneFinishedBefore(at(3))).isEqualTo(1);
        assertThat(webhooks.deliveries("ep_b", Long.MAX_VALUE, 10)).extracting(DeliveryRow::eventId).containsExactly(2L);
        assertThat(webhooks.attempts("ep_b", 1)).isEmpty();
    }

    @Test
    void twoStoresFanningOutTheSameEndpointQueueEachEventOnce() {
        LockStore store = open();
        WebhookStore first = store.webhooks();
        first.insertEndpoint(endpoint("ep_a", null, null));
        store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        // A second fan-out that read the old cursor (another instance): the queued delivery stays, the cursor stays ahead.
        fanOutAll(first, "ep_a", at(2));
        DeliveryRow queued = first.delivery("ep_a", 1).orElseThrow();

        try (Connection connection = rawConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE webhook_endpoint SET cursor = 0");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        fanOutAll(first, "ep_a", at(9));

        assertThat(first.deliveries("ep_a", Long.MAX_VALUE, 10)).containsExactly(queued);
    }

    @Test
    void anUpdateMadeFromAnOlderRowMissesAndUndoesNoDisableNorFailingRun() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        WebhookEndpointRow read = webhooks.insertEndpoint(endpoint("ep_a", null, null));

        webhooks.markFailing("ep_a", at(1));
        assertThat(webhooks.endpoint("ep_a").orElseThrow().updatedAt()).as("a failing run moves updatedAt").isAfter(read.updatedAt());
        assertThat(webhooks.updateEndpoint(read.withDescription("stale"), read.updatedAt())).as("made from the row before").isFalse();
        WebhookEndpointRow failing = webhooks.endpoint("ep_a").orElseThrow();
        webhooks.disable("ep_a", "the receiver answered 410 Gone", failing.updatedAt()); // the same millisecond: still moves
        assertThat(webhooks.updateEndpoint(failing.withDescription("stale"), failing.updatedAt())).isFalse();

        WebhookEndpointRow disabled = webhooks.endpoint("ep_a").orElseThrow();
        assertThat(disabled.updatedAt()).isAfter(failing.updatedAt());
        assertThat(webhooks.updateEndpoint(disabled.withDescription("fresh").withEnabled(true, null, null).withUpdatedAt(at(2)),
                disabled.updatedAt())).isTrue();
        WebhookEndpointRow after = webhooks.endpoint("ep_a").orElseThrow();
        assertThat(after).extracting(WebhookEndpointRow::description, WebhookEndpointRow::enabled, WebhookEndpointRow::failingSince)
                .as("the failing run is markHealthy's to end, not an update's").containsExactly("fresh", true, at(1));
        webhooks.markHealthy("ep_a", at(2));
        assertThat(webhooks.endpoint("ep_a").orElseThrow().failingSince()).isNull();
    }

    @Test
    void aManualRetryBehindAnOlderPendingDeliveryWaitsItsTurnAndAheadOfNewerOnesMakesThemWait() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        MirroredLock one = lock("home", "SN-1", 1, LockState.LOCKED);
        store.onChanges(adding(one, at(1)));
        store.onChanges(moving(one, LockState.UNLOCKED, at(2)));
        store.onChanges(moving(one, LockState.LOCKED, at(3)));
        fanOutAll(webhooks, "ep_a", at(4));
        DeliveryRow first = webhooks.delivery("ep_a", 1).orElseThrow();
        webhooks.recordAttempt(new AttemptRow("ep_a", 1, 1, at(4), 500, 5, "HTTP 500"),
                first.withOutcome(DeliveryState.PENDING, 1, at(100), null, 500, "HTTP 500"));
        DeliveryRow third = webhooks.delivery("ep_a", 3).orElseThrow();
        webhooks.recordAttempt(new AttemptRow("ep_a", 3, 1, at(4), 200, 5, null), third.withOutcome(DeliveryState.DELIVERED, 1, null, at(4), 200, null));

        assertThat(webhooks.retry("ep_a", 3, at(5))).isTrue();
        assertThat(webhooks.delivery("ep_a", 3).orElseThrow()).extracting(DeliveryRow::state, DeliveryRow::nextAttemptAt)
                .as("event 1 of its lock is pending: it waits").containsExactly(DeliveryState.PENDING, null);
        assertThat(webhooks.due("ep_a", at(50), Set.of(), 10)).isEmpty();

        webhooks.recordAttempt(new AttemptRow("ep_a", 1, 2, at(100), 200, 5, null), first.withOutcome(DeliveryState.DELIVERED, 2, null, at(100), 200, null));
        assertThat(webhooks.retry("ep_a", 1, at(101))).isTrue();
        assertThat(webhooks.due("ep_a", at(200), Set.of(), 10)).extracting(DeliveryRow::eventId)
                .as("event 1 again first; 2 and 3 wait behind it").containsExactly(1L);
        assertThat(webhooks.delivery("ep_a", 2).orElseThrow().nextAttemptAt()).isNull();
    }

    @Test
    void theAttemptsOfAPageComeInOneCallByDelivery() {
        LockStore store = open();
        WebhookStore webhooks = store.webhooks();
        webhooks.insertEndpoint(endpoint("ep_a", null, null));
        store.onChanges(adding(lock("home", "SN-1", 1, LockState.LOCKED), at(1)));
        store.onChanges(adding(lock("home", "SN-2", 2, LockState.LOCKED), at(1)));
        fanOutAll(webhooks, "ep_a", at(2));
        DeliveryRow first = webhooks.delivery("ep_a", 1).orElseThrow();
        webhooks.recordAttempt(new AttemptRow("ep_a", 1, 1, at(2), 500, 4, "HTTP 500"),
                first.withOutcome(DeliveryState.PENDING, 1, at(3), null, 500, "HTTP 500"));
        webhooks.recordAttempt(new AttemptRow("ep_a", 1, 2, at(3), 204, 2, null), first.withOutcome(DeliveryState.DELIVERED, 2, null, at(3), 204, null));

        Map<Long, List<AttemptRow>> attempts = webhooks.attempts("ep_a", List.of(1L, 2L));

        assertThat(attempts).containsOnlyKeys(1L);
        assertThat(attempts.get(1L)).extracting(AttemptRow::attempt, AttemptRow::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 500), org.assertj.core.groups.Tuple.tuple(2, 204));
        assertThat(webhooks.attempts("ep_a", List.of())).isEmpty();
    }
}
