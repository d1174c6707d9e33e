package io.tedeesync.client;

import static io.tedeesync.client.StubServer.Answer.json;
import static io.tedeesync.client.StubServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every JSON sample the API docs give for these endpoints, served over HTTP and read by the client. */
class DocSamplesTest {
    private final StubServer server = new StubServer();
    private final TedeeClient client = TedeeClient.builder()
            .baseUrl(server.baseUrl())
            .personalKey("doc-sample-key")
            .build();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void getAllSampleReadsTheCurrentGeneration() {
        server.on("/api/v37/my/lock?", json(200, fixture("get-all.json")));

        List<Lock> locks = client.getLocks();

        assertThat(locks).hasSize(1);
        Lock lock = locks.get(0);
        assertThat(lock.id()).isEqualTo(123);
        assertThat(lock.serialNumber()).isEqualTo("111111-11111");
        assertThat(lock.name()).isEqualTo("Room 6");
        assertThat(lock.type()).isEqualTo(DeviceType.LOCK_PRO);
        assertThat(lock.revision()).isEqualTo(2);
        assertThat(lock.connected()).isTrue();
        assertThat(lock.userIdentity()).isEqualTo("bcc1fdc9-13ee-43b3-a13e-eaba8eaf7996");
        assertThat(lock.timeZone()).isEqualTo("Europe/Warsaw");
        assertThat(lock.deviceState().state()).isEqualTo(LockState.LOCKED);
        assertThat(lock.deviceState().doorState()).isEqualTo(DoorState.CLOSED);
        assertThat(lock.deviceState().batteryLevel()).isEqualTo(18);
        assertThat(lock.deviceState().charging()).isFalse();
        assertThat(lock.deviceState().lastStateChangedDate()).isEqualTo(Instant.parse("2021-04-26T06:02:04.197Z"));
        assertThat(lock.settings().autoLockEnabled()).isTrue();
        assertThat(lock.settings().pullSpringDuration()).isEqualTo(10);
    }

    @Test
    void getSingleSamplePairedWithBridge() {
        server.on("/api/v37/my/lock/123", json(200, fixture("get-single-paired.json")));

        Lock lock = client.getLock(123);

        assertThat(lock.serialNumber()).isEqualTo("111111-11111");
        assertThat(lock.connected()).isTrue();
        assertThat(lock.deviceState().state()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void getSingleSampleNotPairedWithBridgeHasNoStateAndIsNotConnected() {
        server.on("/api/v37/my/lock/123", json(200, fixture("get-single-not-paired.json")));

        Lock lock = client.getLock(123);

        assertThat(lock.connected()).isFalse();
        assertThat(lock.deviceState()).isNull();
        assertThat(lock.settings().autoLockAfterDoorClosedEnabled()).isFalse();
    }

    @Test
    void syncSamples() {
        server.on("/api/v37/my/lock/sync", json(200, fixture("sync-connected.json")));
        LockSync connected = client.syncLocks().get(0);
        assertThat(connected.id()).isEqualTo(123);
        assertThat(connected.connected()).isTrue();
        assertThat(connected.revision()).isEqualTo(1L);
        assertThat(connected.deviceState().state()).isEqualTo(LockState.LOCKED);
        assertThat(connected.deviceState().batteryLevel()).isEqualTo(54);

        server.on("/api/v37/my/lock/sync", json(200, fixture("sync-disconnected.json")));
        LockSync disconnected = client.syncLocks().get(0);
        assertThat(disconnected.connected()).isFalse();
        assertThat(disconnected.deviceState()).isNull();
    }

    @Test
    void syncSingleSamples() {
        server.on("/api/v37/my/lock/123/sync", json(200, fixture("sync-single-connected.json")));
        assertThat(client.syncLock(123).deviceState().doorState()).isEqualTo(DoorState.CLOSED);

        server.on("/api/v37/my/lock/123/sync", json(200, fixture("sync-single-disconnected.json")));
        LockSync disconnected = client.syncLock(123);
        assertThat(disconnected.connected()).isFalse();
        assertThat(disconnected.deviceState()).isNull();
    }

    @Test
    void tutorialSyncSampleReadsTheOlderLockPropertiesGeneration() {
        server.on("/api/v1.34/my/lock/sync", json(200, fixture("seed-sync-lockProperties.json")));
        TedeeClient old = TedeeClient.builder().baseUrl(server.baseUrl()).apiVersion("v1.34").personalKey("k").build();

        List<LockSync> locks = old.syncLocks();

        assertThat(locks).extracting(LockSync::id).containsExactly(1L, 2L);
        assertThat(locks.get(0).deviceState().state()).isEqualTo(LockState.SEMI_LOCKED);
        assertThat(locks.get(1).deviceState().state()).isEqualTo(LockState.UNLOCKED);
        assertThat(locks.get(1).deviceState().charging()).isTrue();
        assertThat(locks.get(1).deviceState().batteryLevel()).isEqualTo(80);
        assertThat(locks.get(0).deviceState().doorStateCode()).as("no doorState before v1.3x: absent, not 'not paired'")
                .isEqualTo(DeviceState.ABSENT);
        assertThat(locks.get(0).deviceState().hasDoorSensor()).isFalse();
    }

    @Test
    void operationSamples() {
        server.on("/api/v37/my/lock/123/operation/lock", json(202, fixture("lock.json")));
        server.on("/api/v37/my/lock/123/operation/unlock?mode=2", json(202, fixture("unlock-force.json")));
        server.on("/api/v37/my/lock/123/operation/unlock?mode=3", json(202, fixture("unlock-without-pull.json")));
        server.on("/api/v37/my/lock/123/operation/unlock?mode=4", json(202, fixture("unlock-or-pull.json")));
        server.on("/api/v37/my/lock/123/operation/unlock", json(202, fixture("unlock.json")));
        server.on("/api/v37/my/lock/123/operation/pull", json(202, fixture("pull.json")));

        List<OperationAccepted> accepted = List.of(client.lock(123), client.unlock(123), client.unlock(123, UnlockMode.FORCE),
                client.unlock(123, UnlockMode.WITHOUT_PULL), client.unlock(123, UnlockMode.UNLOCK_OR_PULL), client.pull(123));

        assertThat(accepted).allSatisfy(op -> {
            assertThat(op.operationId()).isEqualTo("1577833200000");
            assertThat(op.lastStateChangedDate()).isEqualTo(Instant.parse("2021-04-26T05:53:57.423Z"));
        });
        assertThat(server.seen()).extracting(StubServer.Seen::method).containsOnly("POST");
        assertThat(server.seen()).extracting(StubServer.Seen::pathAndQuery).containsExactly(
                "/api/v37/my/lock/123/operation/lock",
                "/api/v37/my/lock/123/operation/unlock",
                "/api/v37/my/lock/123/operation/unlock?mode=2",
                "/api/v37/my/lock/123/operation/unlock?mode=3",
                "/api/v37/my/lock/123/operation/unlock?mode=4",
                "/api/v37/my/lock/123/operation/pull");
    }

    @Test
    void deviceOperationSample() {
        server.on("/api/v37/my/device/operation/1619078520230", json(200, fixture("get-device-operation.json")));

        DeviceOperation operation = client.getOperation("1619078520230");

        assertThat(operation.deviceId()).isEqualTo(1);
        assertThat(operation.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(operation.isSuccessful()).isTrue();
        assertThat(operation.type()).isEqualTo(OperationType.UNLOCK);
    }

    @Test
    void everyRequestCarriesThePersonalKeyHeader() {
        server.on("/api/v37/my/lock/sync", json(200, fixture("sync-connected.json")));

        client.syncLocks();

        assertThat(server.seen()).singleElement()
                .extracting(StubServer.Seen::authorization).isEqualTo("PersonalKey doc-sample-key");
    }
}
