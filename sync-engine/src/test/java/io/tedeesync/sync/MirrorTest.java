package io.tedeesync.sync;

import static io.tedeesync.sync.Locks.T0;
import static io.tedeesync.sync.Locks.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tedeesync.client.DoorState;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockState;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.webhook.BellButtonPressed;
import io.tedeesync.client.webhook.DeviceBatteryLevelChanged;
import io.tedeesync.client.webhook.DeviceConnectionChanged;
import io.tedeesync.client.webhook.DeviceSettingsChanged;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.client.webhook.UnknownWebhook;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.client.webhook.Webhooks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The merge rules of {@link Mirror}, one behaviour per test: observations and times go in, events and
 * follow-up calls come out. No HTTP, no threads, no clock: every instant is written down.
 */
class MirrorTest {
    private static final String ACCOUNT = "home";
    /** When the engine saw the first list: a minute after the fixtures' positions last changed. */
    private static final Instant LISTED = T0.plus(Duration.ofMinutes(1));

    private Mirror mirror;

    @BeforeEach
    void newMirror() {
        mirror = new Mirror(ACCOUNT);
    }

    private static Instant minutesAfterListed(int minutes) {
        return LISTED.plus(Duration.ofMinutes(minutes));
    }

    private MergeResult list(Instant now, Locks.Builder... locks) {
        return mirror.apply(new Observation.LockList(Arrays.stream(locks).map(Locks.Builder::build).toList()), now);
    }

    private MergeResult syncAll(Instant now, Locks.Builder... locks) {
        return mirror.apply(Observation.Sync.all(Arrays.stream(locks).map(Locks.Builder::sync).toList()), now);
    }

    private MergeResult webhook(WebhookNotification notification, Instant now) {
        return mirror.apply(new Observation.Webhook(notification), now);
    }

    /** A webhook body as Tedee POSTs it, parsed by the client's own parser. */
    private static WebhookNotification parsed(String event, long deviceId, Instant eventTime, String dataFields) {
        String json = """
                {"event":"%s","timestamp":"%s","userIdentity":"owner-identity",
                 "data":{"deviceType":2,"deviceId":%d,"serialNumber":"SN-%d","eventTime":"%s"%s}}
                """.formatted(event, eventTime.plusMillis(300), deviceId, deviceId, eventTime, dataFields);
        return Webhooks.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static <T extends SyncEvent> List<T> eventsOf(MergeResult result, Class<T> type) {
        return result.events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static void assertNoFollowUps(MergeResult result) {
        assertThat(result.listRefreshNeeded()).as("listRefreshNeeded").isFalse();
        assertThat(result.detailsNeeded()).as("detailsNeeded").isEmpty();
        assertThat(result.syncNeeded()).as("syncNeeded").isEmpty();
        assertThat(result.ignored()).as("ignored").isFalse();
    }

    @Nested
    class TheList {

        @Test
        void aListThatWouldDropMostLocksIsConfirmedBeforeAnythingIsRemoved() {
            list(LISTED, lock(1, "S1"), lock(2, "S2"), lock(3, "S3"));

            MergeResult empty = list(minutesAfterListed(1));

            assertThat(empty.events()).isEmpty();
            assertThat(empty.listRefreshNeeded()).isTrue();
            assertThat(mirror.size()).isEqualTo(3);

            MergeResult confirmed = list(minutesAfterListed(2));

            assertThat(eventsOf(confirmed, LockEvent.Removed.class)).hasSize(3);
            assertThat(mirror.size()).isZero();
        }

        @Test
        void firstListAddsEveryLockAtItsLastStateChange() {
            MergeResult result = list(LISTED,
                    lock(1, "S1").changedAt(T0),
                    lock(2, "S2").changedAt(T0.minusSeconds(30)).state(LockState.UNLOCKED),
                    lock(3, "S3").changedAt(T0.minusSeconds(90)));

            assertThat(result.events()).hasSize(3).allMatch(LockEvent.Added.class::isInstance);
            List<LockEvent.Added> added = eventsOf(result, LockEvent.Added.class);
            assertThat(added).extracting(LockEvent.Added::serialNumber).containsExactly("S1", "S2", "S3");
            assertThat(added).extracting(LockEvent.Added::lockId).containsExactly(1L, 2L, 3L);
            assertThat(added).extracting(LockEvent.Added::occurredAt)
                    .containsExactly(T0, T0.minusSeconds(30), T0.minusSeconds(90));
            assertThat(added).extracting(LockEvent.Added::source).containsOnly(EventSource.GET_ALL);
            assertThat(added.get(1).lock().state().state()).isEqualTo(LockState.UNLOCKED);
            assertNoFollowUps(result);
            assertThat(mirror.size()).isEqualTo(3);
        }

        @Test
        void addedLockWithoutStateOccurredWhenObserved() {
            MergeResult result = list(LISTED, lock(1, "S1").disconnected());

            assertThat(eventsOf(result, LockEvent.Added.class)).singleElement()
                    .extracting(LockEvent.Added::occurredAt).isEqualTo(LISTED);
        }

        @Test
        void sameListAgainEmitsNothing() {
            list(LISTED, lock(1, "S1"), lock(2, "S2"), lock(3, "S3"));

            MergeResult again = list(minutesAfterListed(1), lock(1, "S1"), lock(2, "S2"), lock(3, "S3"));

            assertThat(again.events()).isEmpty();
            assertNoFollowUps(again);
        }

        @Test
        void knownSerialUnderNewIdIsAnIdChangeNotARemoveAndAdd() {
            list(LISTED, lock(1, "S1"), lock(2, "S2"));

            MergeResult result = list(minutesAfterListed(1), lock(7, "S1"), lock(2, "S2"));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.IdChanged.class, changed -> {
                assertThat(changed.serialNumber()).isEqualTo("S1");
                assertThat(changed.lockId()).isEqualTo(7);
                assertThat(changed.previousId()).isEqualTo(1);
            });
            assertThat(mirror.byId(7)).get().extracting(MirroredLock::serialNumber).isEqualTo("S1");
            assertThat(mirror.byId(1)).isEmpty();
            assertThat(mirror.size()).isEqualTo(2);
        }

        @Test
        void lockMissingFromTheListIsRemoved() {
            list(LISTED, lock(1, "S1"), lock(2, "S2"), lock(3, "S3"));

            MergeResult result = list(minutesAfterListed(1), lock(1, "S1"), lock(3, "S3"));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.Removed.class, removed -> {
                assertThat(removed.serialNumber()).isEqualTo("S2");
                assertThat(removed.lockId()).isEqualTo(2);
                assertThat(removed.source()).isEqualTo(EventSource.GET_ALL);
            });
            assertThat(mirror.bySerial("S2")).isEmpty();
            assertThat(mirror.byId(2)).isEmpty();
            assertThat(mirror.size()).isEqualTo(2);
        }

        @Test
        void sameSerialTwiceInOneListIsOneLockAndTheFirstEntryWins() {
            MergeResult result = list(LISTED, lock(1, "S1"), lock(2, "S1").name("Duplicate"));

            assertThat(result.events()).singleElement().isInstanceOf(LockEvent.Added.class);
            assertThat(mirror.size()).isEqualTo(1);
            assertThat(mirror.byId(1)).isPresent();
            assertThat(mirror.byId(2)).isEmpty();
        }

        @Test
        void idReusedByAnotherSerialPointsToTheNewLockAfterTheOldOneIsRemoved() {
            list(LISTED, lock(1, "S1"));

            MergeResult result = list(minutesAfterListed(1), lock(1, "S9"));

            assertThat(result.events()).extracting(event -> event.getClass().getSimpleName())
                    .containsExactly("Added", "Removed");
            assertThat(mirror.byId(1)).get().extracting(MirroredLock::serialNumber).isEqualTo("S9");
        }
    }

    @Nested
    class Sync {

        @BeforeEach
        void twoLocks() {
            list(LISTED, lock(1, "S1"), lock(2, "S2"));
        }

        @Test
        void unknownIdAsksForTheListAndInventsNoLock() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1"), lock(2, "S2"), lock(99, "S99"));

            assertThat(result.listRefreshNeeded()).isTrue();
            assertThat(result.events()).isEmpty();
            assertThat(mirror.byId(99)).isEmpty();
            assertThat(mirror.size()).isEqualTo(2);
        }

        @Test
        void syncAllMissingAKnownLockAsksForTheListButRemovesNothing() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1"));

            assertThat(result.listRefreshNeeded()).isTrue();
            assertThat(result.events()).isEmpty();
            assertThat(mirror.byId(2)).isPresent();
        }

        @Test
        void filteredSyncMissingARequestedLockAsksForTheList() {
            MergeResult result = mirror.apply(new Observation.Sync(List.of(lock(1, "S1").sync()), Set.of(1L, 2L)),
                    minutesAfterListed(1));

            assertThat(result.listRefreshNeeded()).isTrue();
        }

        @Test
        void filteredSyncDoesNotMissLocksItDidNotRequest() {
            MergeResult result = mirror.apply(new Observation.Sync(List.of(lock(1, "S1").sync()), Set.of(1L)),
                    minutesAfterListed(1));

            assertThat(result.listRefreshNeeded()).isFalse();
            assertThat(result.events()).isEmpty();
        }

        @Test
        void higherRevisionAsksForDetailsWithoutClaimingASettingsChange() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1").revision(2), lock(2, "S2"));

            assertThat(result.detailsNeeded()).containsExactly(1L);
            assertThat(eventsOf(result, LockEvent.SettingsChanged.class)).isEmpty();
            // The copy keeps the old revision, so the details, when they come, still look new.
            assertThat(mirror.byId(1)).get().extracting(MirroredLock::revision).isEqualTo(1L);
        }

        @Test
        void equalRevisionAsksForNoDetails() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1").revision(1), lock(2, "S2"));

            assertThat(result.detailsNeeded()).isEmpty();
        }

        @Test
        void syncMarksTheLockConfirmed() {
            syncAll(minutesAfterListed(5), lock(1, "S1"), lock(2, "S2"));

            assertThat(mirror.byId(1)).get().extracting(MirroredLock::syncedAt).isEqualTo(minutesAfterListed(5));
        }
    }

    @Nested
    class Details {

        @Test
        void newNameAndRevisionAreASettingsChangeFromTheDetails() {
            list(LISTED, lock(1, "S1").name("Front door"));

            MergeResult result = mirror.apply(new Observation.Details(lock(1, "S1").name("Back door").revision(2).build()),
                    minutesAfterListed(1));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.SettingsChanged.class, changed -> {
                assertThat(changed.previousName()).isEqualTo("Front door");
                assertThat(changed.name()).isEqualTo("Back door");
                assertThat(changed.previousRevision()).isEqualTo(1);
                assertThat(changed.revision()).isEqualTo(2);
                assertThat(changed.source()).isEqualTo(EventSource.DETAILS);
            });
            assertThat(mirror.byId(1)).get().satisfies(copy -> {
                assertThat(copy.name()).isEqualTo("Back door");
                assertThat(copy.revision()).isEqualTo(2);
            });
        }

        @Test
        void detailsOfAnUnknownSerialOrIdAskForTheListAndAddNothing() {
            list(LISTED, lock(1, "S1"));

            MergeResult unknown = mirror.apply(new Observation.Details(lock(9, "S9").build()), minutesAfterListed(1));
            MergeResult otherId = mirror.apply(new Observation.Details(lock(7, "S1").build()), minutesAfterListed(1));

            assertThat(unknown.events()).isEmpty();
            assertThat(unknown.listRefreshNeeded()).isTrue();
            assertThat(otherId.events()).isEmpty();
            assertThat(otherId.listRefreshNeeded()).isTrue();
            assertThat(mirror.bySerial("S9")).isEmpty();
            assertThat(mirror.bySerial("S1").orElseThrow().id()).isEqualTo(1);
        }

        @Test
        void sameDetailsAgainEmitNothing() {
            list(LISTED, lock(1, "S1"));

            MergeResult result = mirror.apply(new Observation.Details(lock(1, "S1").build()), minutesAfterListed(1));

            assertThat(result.events()).isEmpty();
        }
    }

    @Nested
    class State {

        @BeforeEach
        void oneLockedLock() {
            list(LISTED, lock(1, "S1"));
        }

        @Test
        void anAnswerWithoutADoorStateKeepsTheKnownDoor() {
            MergeResult result = mirror.apply(Observation.Sync.all(List.of(new LockSync(1, true,
                    new io.tedeesync.client.DeviceState(LockState.LOCKED.code(), io.tedeesync.client.DeviceState.ABSENT, null, null, 0, null),
                    1L))), minutesAfterListed(1));

            assertThat(result.events()).isEmpty();
            assertThat(mirror.bySerial("S1").orElseThrow().state().doorState()).isEqualTo(DoorState.CLOSED);
        }

        @Test
        void newPositionIsAStateChangeWithBothCodes() {
            Instant unlockedAt = T0.plus(Duration.ofMinutes(5));

            MergeResult result = syncAll(minutesAfterListed(5), lock(1, "S1").state(LockState.UNLOCKED).changedAt(unlockedAt));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.StateChanged.class, changed -> {
                assertThat(changed.from()).isEqualTo(LockState.LOCKED);
                assertThat(changed.fromCode()).isEqualTo(6);
                assertThat(changed.to()).isEqualTo(LockState.UNLOCKED);
                assertThat(changed.toCode()).isEqualTo(2);
                assertThat(changed.occurredAt()).isEqualTo(unlockedAt);
                assertThat(changed.source()).isEqualTo(EventSource.SYNC);
            });
            assertThat(mirror.byId(1).orElseThrow().state().state()).isEqualTo(LockState.UNLOCKED);
        }

        @Test
        void openedDoorIsADoorStateChange() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1").door(DoorState.OPENED));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.DoorStateChanged.class, changed -> {
                assertThat(changed.from()).isEqualTo(DoorState.CLOSED);
                assertThat(changed.to()).isEqualTo(DoorState.OPENED);
                assertThat(changed.toCode()).isEqualTo(2);
            });
        }

        @Test
        void lowerBatteryIsABatteryChange() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1").battery(79));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.BatteryChanged.class, changed -> {
                assertThat(changed.from()).isEqualTo(80);
                assertThat(changed.to()).isEqualTo(79);
            });
            assertThat(mirror.byId(1).orElseThrow().lastKnown().batteryLevel()).isEqualTo(79);
        }

        @Test
        void startedChargingIsAChargingChange() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1").charging(true));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.ChargingChanged.class,
                    changed -> assertThat(changed.charging()).isTrue());
        }

        @Test
        void unchangedReadingEmitsNothing() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1"));

            assertThat(result.events()).isEmpty();
            assertNoFollowUps(result);
        }

        @Test
        void undocumentedStateCodeIsAChangeToUnknownKeepingTheRawCode() {
            MergeResult result = syncAll(minutesAfterListed(1), lock(1, "S1").stateCode(255).changedAt(T0.plusSeconds(90)));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.StateChanged.class, changed -> {
                assertThat(changed.to()).isEqualTo(LockState.UNKNOWN);
                assertThat(changed.toCode()).isEqualTo(255);
            });
            assertThat(mirror.byId(1).orElseThrow().lastKnown().stateCode()).isEqualTo(255);
        }

        @Test
        void olderPositionDoesNotOverwriteTheKnownOneButItsBatteryIsTaken() {
            MergeResult result = syncAll(minutesAfterListed(1),
                    lock(1, "S1").state(LockState.UNLOCKED).changedAt(T0.minusSeconds(300)).battery(70));

            assertThat(eventsOf(result, LockEvent.StateChanged.class)).isEmpty();
            assertThat(eventsOf(result, LockEvent.BatteryChanged.class)).singleElement()
                    .extracting(LockEvent.BatteryChanged::to).isEqualTo(70);
            MirroredLock copy = mirror.byId(1).orElseThrow();
            assertThat(copy.state().state()).isEqualTo(LockState.LOCKED);
            assertThat(copy.state().lastStateChangedDate()).isEqualTo(T0);
            assertThat(copy.state().batteryLevel()).isEqualTo(70);
        }
    }

    @Nested
    class Connection {

        private final Instant disconnectedAt = minutesAfterListed(1);

        @BeforeEach
        void oneLockThatDisconnected() {
            list(LISTED, lock(1, "S1"));
        }

        private MergeResult disconnect() {
            return syncAll(disconnectedAt, lock(1, "S1").disconnected());
        }

        @Test
        void disconnectedLockKeepsItsLastStateAsHistoryOnly() {
            MergeResult result = disconnect();

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.ConnectionChanged.class,
                    changed -> assertThat(changed.connected()).isFalse());
            MirroredLock copy = mirror.byId(1).orElseThrow();
            assertThat(copy.connected()).isFalse();
            assertThat(copy.state()).isNull();
            assertThat(copy.lastKnown()).isEqualTo(lock(1, "S1").deviceState());
        }

        @Test
        void reconnectAtTheSamePositionIsOnlyAConnectionChange() {
            disconnect();

            MergeResult result = syncAll(minutesAfterListed(2), lock(1, "S1"));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.ConnectionChanged.class,
                    changed -> assertThat(changed.connected()).isTrue());
            assertThat(mirror.byId(1).orElseThrow().state()).isNotNull();
        }

        @Test
        void reconnectAtAnotherPositionAlsoReportsTheStateChange() {
            disconnect();

            MergeResult result = syncAll(minutesAfterListed(2),
                    lock(1, "S1").state(LockState.UNLOCKED).changedAt(minutesAfterListed(2)));

            assertThat(result.events()).hasSize(2);
            assertThat(result.events().get(0)).isInstanceOfSatisfying(LockEvent.ConnectionChanged.class,
                    changed -> assertThat(changed.connected()).isTrue());
            assertThat(result.events().get(1)).isInstanceOfSatisfying(LockEvent.StateChanged.class,
                    changed -> assertThat(changed.to()).isEqualTo(LockState.UNLOCKED));
        }

        @Test
        void connectionWebhookAfterADisconnectAsksForASyncBecauseThePositionIsUnknown() {
            disconnect();
            Instant reconnectedAt = disconnectedAt.plusSeconds(20);

            MergeResult result = webhook(parsed("device-connection-changed", 1, reconnectedAt, ",\"isConnected\":true"),
                    reconnectedAt.plusSeconds(1));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.ConnectionChanged.class, changed -> {
                assertThat(changed.connected()).isTrue();
                assertThat(changed.source()).isEqualTo(EventSource.WEBHOOK);
                assertThat(changed.occurredAt()).isEqualTo(reconnectedAt);
            });
            assertThat(result.syncNeeded()).containsExactly(1L);
            MirroredLock copy = mirror.byId(1).orElseThrow();
            assertThat(copy.connected()).isTrue();
            assertThat(copy.state()).isNull();
        }
    }

    @Nested
    class Webhook {
        private final Instant later = minutesAfterListed(5);

        @BeforeEach
        void oneLockedLock() {
            list(LISTED, lock(1, "S1"));
        }

        @Test
        void newerLockStatusIsAStateChangeAtItsEventTime() {
            MergeResult result = webhook(parsed("lock-status-changed", 1, later, ",\"state\":2,\"doorState\":3"),
                    later.plusSeconds(1));

            assertThat(result.ignored()).isFalse();
            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.StateChanged.class, changed -> {
                assertThat(changed.from()).isEqualTo(LockState.LOCKED);
                assertThat(changed.to()).isEqualTo(LockState.UNLOCKED);
                assertThat(changed.source()).isEqualTo(EventSource.WEBHOOK);
                assertThat(changed.occurredAt()).isEqualTo(later);
                assertThat(changed.observedAt()).isEqualTo(later.plusSeconds(1));
            });
            assertThat(mirror.byId(1).orElseThrow().state().state()).isEqualTo(LockState.UNLOCKED);
        }

        @Test
        void lockStatusOlderThanTheKnownPositionIsIgnored() {
            Instant beforeKnown = T0.minusSeconds(10);

            MergeResult result = webhook(new LockStatusChanged("lock-status-changed", beforeKnown, "owner-identity", 1,
                    beforeKnown, 2, LockState.UNLOCKED.code(), DoorState.CLOSED.code()), later);

            assertThat(result.ignored()).isTrue();
            assertThat(result.events()).isEmpty();
            assertThat(mirror.byId(1).orElseThrow().state().state()).isEqualTo(LockState.LOCKED);
        }

        @Test
        void duplicateLockStatusIsMarkedIgnored() {
            webhook(parsed("lock-status-changed", 1, later, ",\"state\":2,\"doorState\":0"), later.plusSeconds(1));

            MergeResult again = webhook(parsed("lock-status-changed", 1, later, ",\"state\":2,\"doorState\":0"), later.plusSeconds(2));

            assertThat(again.events()).isEmpty();
            assertThat(again.ignored()).isTrue();
        }

        @Test
        void olderConnectionWebhookThatContradictsTheCopyAsksForASync() {
            syncAll(later, lock(1, "S1").disconnected());

            MergeResult result = webhook(parsed("device-connection-changed", 1, later.minusMillis(500), ",\"isConnected\":true"),
                    later.plusSeconds(1));

            assertThat(result.ignored()).isTrue();
            assertThat(result.events()).isEmpty();
            assertThat(result.syncNeeded()).containsExactly(1L);
        }

        @Test
        void bridgeOrKeypadWebhooksAskForNoListRefresh() {
            MergeResult bridge = webhook(new DeviceConnectionChanged("device-connection-changed", later, "owner-identity", 777,
                    later, 1, false), later);
            MergeResult keypad = webhook(new DeviceBatteryLevelChanged("device-battery-level-changed", later, "owner-identity", 778,
                    later, 3, 20), later);
            MergeResult unknownLock = webhook(new DeviceConnectionChanged("device-connection-changed", later, "owner-identity", 779,
                    later, 2, false), later);

            assertThat(bridge.listRefreshNeeded()).isFalse();
            assertThat(keypad.listRefreshNeeded()).isFalse();
            assertThat(unknownLock.listRefreshNeeded()).isTrue();
        }

        @Test
        void aSyncSentBeforeAWebhookDoesNotUndoIt() {
            Instant sent = later.minusMillis(300);
            webhook(new DeviceBatteryLevelChanged("device-battery-level-changed", later, "owner-identity", 1, later, 2, 42), later);

            MergeResult answer = mirror.apply(new Observation.Sync(List.of(lock(1, "S1").battery(80).sync()), Set.of(), sent),
                    later.plusMillis(100));

            assertThat(answer.events()).isEmpty();
            assertThat(mirror.bySerial("S1").orElseThrow().lastKnown().batteryLevel()).isEqualTo(42);
        }

        @Test
        void batteryWebhookIsABatteryChange() {
            MergeResult result = webhook(new DeviceBatteryLevelChanged("device-battery-level-changed", later, "owner-identity",
                    1, later, 2, 50), later.plusSeconds(1));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.BatteryChanged.class, changed -> {
                assertThat(changed.from()).isEqualTo(80);
                assertThat(changed.to()).isEqualTo(50);
                assertThat(changed.occurredAt()).isEqualTo(later);
                assertThat(changed.source()).isEqualTo(EventSource.WEBHOOK);
            });
            assertThat(mirror.byId(1).orElseThrow().lastKnown().batteryLevel()).isEqualTo(50);
        }

        @Test
        void settingsWebhookWithHigherRevisionAsksForDetailsAndClaimsNothingYet() {
            MergeResult result = webhook(new DeviceSettingsChanged("device-settings-changed", later, "owner-identity", 1,
                    later, 2, "Renamed", 2), later);

            assertThat(result.detailsNeeded()).containsExactly(1L);
            assertThat(result.events()).isEmpty();
            assertThat(result.ignored()).isFalse();
            assertThat(mirror.byId(1).orElseThrow().name()).isEqualTo("Door S1");
        }

        @Test
        void settingsWebhookWithKnownRevisionIsIgnored() {
            MergeResult result = webhook(new DeviceSettingsChanged("device-settings-changed", later, "owner-identity", 1,
                    later, 2, "Door S1", 1), later);

            assertThat(result.ignored()).isTrue();
            assertThat(result.detailsNeeded()).isEmpty();
        }

        @Test
        void bellWebhookIsABellPress() {
            MergeResult result = webhook(new BellButtonPressed("bell-button-pressed", later, "owner-identity", 1, later),
                    later.plusSeconds(1));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.BellPressed.class, pressed -> {
                assertThat(pressed.serialNumber()).isEqualTo("S1");
                assertThat(pressed.occurredAt()).isEqualTo(later);
            });
        }

        @Test
        void webhookForAnUnknownDeviceIsIgnoredAndAsksForTheList() {
            MergeResult result = webhook(parsed("lock-status-changed", 42, later, ",\"state\":2,\"doorState\":3"), later);

            assertThat(result.ignored()).isTrue();
            assertThat(result.listRefreshNeeded()).isTrue();
            assertThat(result.events()).isEmpty();
        }

        @Test
        void unknownEventForAKnownDeviceIsIgnoredWithoutAskingForTheList() {
            WebhookNotification unknown = parsed("device-firmware-updated", 1, later, "");
            assertThat(unknown).isInstanceOf(UnknownWebhook.class);

            MergeResult result = webhook(unknown, later);

            assertThat(result.ignored()).isTrue();
            assertThat(result.listRefreshNeeded()).isFalse();
            assertThat(result.events()).isEmpty();
        }

        /**
         * Found while writing these tests (not yet fixed in {@link Mirror}): a lock-status webhook
         * carries no battery level, yet merging it moves the battery's time to the engine's now, so a
         * battery webhook that happened between the lock-status event and its arrival is dropped as stale.
         */
        @Test
        void lockStatusWebhookDoesNotMakeTheBatteryLevelLookNewer() {
            Instant unlockedAt = later;
            Instant batteryDroppedAt = later.plusSeconds(2);
            webhook(parsed("lock-status-changed", 1, unlockedAt, ",\"state\":2,\"doorState\":3"), unlockedAt.plusSeconds(5));

            MergeResult result = webhook(new DeviceBatteryLevelChanged("device-battery-level-changed", batteryDroppedAt,
                    "owner-identity", 1, batteryDroppedAt, 2, 79), batteryDroppedAt.plusSeconds(5));

            assertThat(result.ignored()).isFalse();
            assertThat(eventsOf(result, LockEvent.BatteryChanged.class)).singleElement()
                    .extracting(LockEvent.BatteryChanged::to).isEqualTo(79);
        }
    }

    @Nested
    class Seed {

        private List<MirroredLock> savedCopy() {
            Mirror before = new Mirror(ACCOUNT);
            before.apply(new Observation.LockList(List.of(lock(1, "S1").build(), lock(2, "S2").build())), LISTED);
            return before.locks();
        }

        @Test
        void seededLocksAreKnownAndTheSameListAddsNothing() {
            List<MirroredLock> saved = savedCopy();

            mirror.seed(saved);
            MergeResult result = list(minutesAfterListed(60), lock(1, "S1"), lock(2, "S2"));

            assertThat(mirror.locks()).hasSize(2);
            assertThat(result.events()).isEmpty();
        }

        @Test
        void seededLockThatMovedMeanwhileIsExactlyOneStateChange() {
            mirror.seed(savedCopy());

            MergeResult result = list(minutesAfterListed(60),
                    lock(1, "S1").state(LockState.UNLOCKED).changedAt(minutesAfterListed(30)), lock(2, "S2"));

            assertThat(result.events()).singleElement().isInstanceOfSatisfying(LockEvent.StateChanged.class, changed -> {
                assertThat(changed.serialNumber()).isEqualTo("S1");
                assertThat(changed.from()).isEqualTo(LockState.LOCKED);
                assertThat(changed.to()).isEqualTo(LockState.UNLOCKED);
                assertThat(changed.source()).isEqualTo(EventSource.GET_ALL);
            });
        }

        @Test
        void seedReplacesWhatWasThere() {
            list(LISTED, lock(5, "S5"));

            mirror.seed(savedCopy());

            assertThat(mirror.bySerial("S5")).isEmpty();
            assertThat(mirror.byId(5)).isEmpty();
            assertThat(mirror.locks()).extracting(MirroredLock::serialNumber).containsExactly("S1", "S2");
        }
    }

    @Nested
    class Events {

        @Test
        void eventsOfOneApplyAreInOrderAndCarryTheirOrigin() {
            list(LISTED, lock(1, "S1"), lock(2, "S2"));
            Instant now = minutesAfterListed(3);
            List<LockSync> answer = List.of(
                    lock(1, "S1").state(LockState.UNLOCKED).door(DoorState.OPENED).battery(79).charging(true)
                            .changedAt(minutesAfterListed(2)).sync(),
                    lock(2, "S2").disconnected().sync());

            MergeResult result = mirror.apply(Observation.Sync.all(answer), now);

            assertThat(result.events()).extracting(event -> event.getClass().getSimpleName()).containsExactly(
                    "StateChanged", "DoorStateChanged", "BatteryChanged", "ChargingChanged", "ConnectionChanged");
            assertThat(result.events()).allSatisfy(event -> {
                assertThat(event.account()).isEqualTo(ACCOUNT);
                assertThat(event.observedAt()).isEqualTo(now);
                assertThat(event.source()).isEqualTo(EventSource.SYNC);
            });
            assertThat(result.events()).map(LockEvent.class::cast)
                    .extracting(LockEvent::serialNumber, LockEvent::lockId)
                    .containsExactly(
                            tuple("S1", 1L),
                            tuple("S1", 1L),
                            tuple("S1", 1L),
                            tuple("S1", 1L),
                            tuple("S2", 2L));
        }

        @Test
        void idChangeAndRenameInOneListComeInThatOrderUnderTheNewId() {
            list(LISTED, lock(1, "S1"));

            Lock readded = lock(7, "S1").name("Garage").revision(2).build();
            MergeResult result = mirror.apply(new Observation.LockList(List.of(readded)), minutesAfterListed(1));

            assertThat(result.events()).extracting(event -> event.getClass().getSimpleName())
                    .containsExactly("IdChanged", "SettingsChanged");
            assertThat(result.events()).map(LockEvent.class::cast).extracting(LockEvent::lockId).containsOnly(7L);
        }
    }
}
