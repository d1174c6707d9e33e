package io.tedeesync.client;

import static io.tedeesync.client.StubServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real-life payloads the docs do not show: undocumented codes, extra fields, odd timestamps, paging quirks. */
class PayloadTest {
    private final StubServer server = new StubServer();
    private final TedeeClient client = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey("k").build();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void undocumentedCodesNeverThrowAndKeepTheRawCode() {
        server.on("/api/v37/my/lock?", json(200, "{\"result\":[{\"id\":7,\"serialNumber\":\"S-7\",\"type\":99,\"isConnected\":true,"
                + "\"deviceState\":{\"state\":255,\"doorState\":17,\"batteryLevel\":255}}],\"success\":true}"));

        Lock lock = client.getLocks().get(0);

        assertThat(lock.type()).isEqualTo(DeviceType.UNKNOWN);
        assertThat(lock.typeCode()).isEqualTo(99);
        assertThat(lock.deviceState().state()).isEqualTo(LockState.UNKNOWN);
        assertThat(lock.deviceState().stateCode()).isEqualTo(255);
        assertThat(lock.deviceState().doorState()).isEqualTo(DoorState.UNKNOWN);
        assertThat(lock.deviceState().doorStateCode()).isEqualTo(17);
    }

    @Test
    void unknownFieldsAreIgnored() {
        server.on("/api/v37/my/lock/1/sync", json(200, "{\"result\":{\"id\":1,\"isConnected\":true,\"brandNewField\":{\"x\":[1,2]},"
                + "\"deviceState\":{\"state\":6,\"futureFlag\":true}},\"success\":true,\"traceId\":\"abc\"}"));

        assertThat(client.syncLock(1).deviceState().state()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void bothGenerationsInOnePayloadPreferTheNewerName() {
        server.on("/api/v37/my/lock/1/sync", json(200, "{\"result\":{\"id\":1,\"isConnected\":true,"
                + "\"lockProperties\":{\"state\":2},\"deviceState\":{\"state\":6}},\"success\":true}"));

        assertThat(client.syncLock(1).deviceState().state()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void disconnectedLockHasNoStateEvenIfThePayloadCarriesOne() {
        server.on("/api/v37/my/lock/1/sync", json(200, "{\"result\":{\"id\":1,\"isConnected\":false,"
                + "\"deviceState\":{\"state\":2}},\"success\":true}"));

        LockSync sync = client.syncLock(1);

        assertThat(sync.connected()).isFalse();
        assertThat(sync.deviceState()).as("the position of a disconnected lock is unknown, not 'unlocked'").isNull();
    }

    @Test
    void syncBeforeV133HasNoRevision() {
        server.on("/api/v1.32/my/lock/sync", json(200, "{\"result\":[{\"id\":1,\"isConnected\":true,"
                + "\"lockProperties\":{\"state\":6}}],\"success\":true}"));
        TedeeClient old = TedeeClient.builder().baseUrl(server.baseUrl()).apiVersion("v1.32").personalKey("k").build();

        assertThat(old.syncLocks().get(0).revision()).isNull();
    }

    @Test
    void timestampsWithoutZoneOrWithLongFractionsAreRead() {
        server.on("/api/v37/my/lock/1/sync", json(200, "{\"result\":{\"id\":1,\"isConnected\":true,"
                + "\"deviceState\":{\"state\":6,\"lastStateChangedDate\":\"2024-12-13T07:36:36.6926999\"}},\"success\":true}"));
        server.on("/api/v37/my/lock/2/sync", json(200, "{\"result\":{\"id\":2,\"isConnected\":true,"
                + "\"deviceState\":{\"state\":6,\"lastStateChangedDate\":\"2024-12-13T07:36:36.9049417+00:00\"}},\"success\":true}"));

        assertThat(client.syncLock(1).deviceState().lastStateChangedDate()).isEqualTo(Instant.parse("2024-12-13T07:36:36.692699900Z"));
        assertThat(client.syncLock(2).deviceState().lastStateChangedDate()).isEqualTo(Instant.parse("2024-12-13T07:36:36.904941700Z"));
    }

    @Test
    void lockWithoutSerialNumberIsAnUnreadableEntryInAListAndMalformedAlone() {
        server.on("/api/v37/my/lock?", json(200, "{\"result\":[{\"id\":7,\"isConnected\":true},"
                + "{\"id\":8,\"serialNumber\":\"S-8\"}],\"success\":true}"));
        server.on("/api/v37/my/lock/7", json(200, "{\"result\":{\"id\":7,\"isConnected\":true},\"success\":true}"));

        Entries<Lock> entries = client.getLockEntries();

        assertThat(entries.readable()).extracting(Lock::serialNumber).containsExactly("S-8");
        assertThat(entries.unreadable()).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(7);
            assertThat(entry.reason()).contains("serialNumber");
        });
        assertThatThrownBy(() -> client.getLock(7)).isInstanceOf(MalformedResponseException.class).hasMessageContaining("serialNumber");
    }

    @Test
    void aServerThatIgnoresPagingIsReadOnce() {
        StringBuilder all = new StringBuilder("{\"result\":[");
        for (int i = 1; i <= 3; i++) {
            all.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"serialNumber\":\"S-").append(i).append("\"}");
        }
        server.on("/api/v37/my/lock?", json(200, all.append("],\"success\":true}").toString()));
        TedeeClient paged = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey("k").pageSize(3).build();

        List<Lock> locks = paged.getLocks();

        assertThat(locks).extracting(Lock::serialNumber).containsExactly("S-1", "S-2", "S-3");
        assertThat(server.seen()).extracting(StubServer.Seen::pathAndQuery).containsExactly(
                "/api/v37/my/lock?Page=1&ItemsPerPage=3", "/api/v37/my/lock?Page=2&ItemsPerPage=3");
    }

    @Test
    void filteredSyncSplitsLongIdListsAndSkipsEmptyOnes() {
        server.on("/api/v37/my/lock/sync", json(200, "{\"result\":[],\"success\":true}"));
        TedeeClient small = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey("k").idsPerSync(2).build();

        small.syncLocks(List.of());
        small.syncLocks(List.of(1L, 2L, 2L, 3L));

        assertThat(server.seen()).extracting(StubServer.Seen::pathAndQuery).containsExactly(
                "/api/v37/my/lock/sync?id=1&id=2", "/api/v37/my/lock/sync?id=3");
    }
}
