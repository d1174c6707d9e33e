package io.tedeesync.store;

import static io.tedeesync.store.Fixtures.at;
import static io.tedeesync.store.Fixtures.lock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.EventSource;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEADER =
            List.of("id", "type", "account", "serialNumber", "lockId", "occurredAt", "observedAt", "source");

    static Stream<Arguments> everyEventType() {
        String a = "home";
        String sn = "SN-1";
        return Stream.of(
                Arguments.of(new LockEvent.Removed(a, sn, 4, at(1), at(2), EventSource.GET_ALL), "{}"),
                Arguments.of(new LockEvent.IdChanged(a, sn, 4, at(1), at(2), EventSource.GET_ALL, 3),
                        "{\"previousId\":3}"),
                Arguments.of(new LockEvent.StateChanged(a, sn, 4, at(1), at(2), EventSource.SYNC, LockState.LOCKED, 6,
                        LockState.UNLOCKED, 2), "{\"from\":\"LOCKED\",\"fromCode\":6,\"to\":\"UNLOCKED\",\"toCode\":2}"),
                Arguments.of(new LockEvent.StateChanged(a, sn, 4, at(1), at(2), EventSource.WEBHOOK, null, null,
                        LockState.UNKNOWN, 255), "{\"from\":null,\"fromCode\":null,\"to\":\"UNKNOWN\",\"toCode\":255}"),
                Arguments.of(new LockEvent.DoorStateChanged(a, sn, 4, at(1), at(2), EventSource.SYNC, DoorState.CLOSED,
                        DoorState.OPENED, 2), "{\"from\":\"CLOSED\",\"to\":\"OPENED\",\"toCode\":2}"),
                Arguments.of(new LockEvent.ConnectionChanged(a, sn, 4, at(1), at(2), EventSource.SYNC, false),
                        "{\"connected\":false}"),
                Arguments.of(new LockEvent.BatteryChanged(a, sn, 4, at(1), at(2), EventSource.SYNC, null, 55),
                        "{\"from\":null,\"to\":55}"),
                Arguments.of(new LockEvent.ChargingChanged(a, sn, 4, at(1), at(2), EventSource.WEBHOOK, true),
                        "{\"charging\":true}"),
                Arguments.of(new LockEvent.SettingsChanged(a, sn, 4, at(1), at(2), EventSource.DETAILS, "Old", "New", 6, 7),
                        "{\"previousName\":\"Old\",\"name\":\"New\",\"previousRevision\":6,\"revision\":7}"),
                Arguments.of(new LockEvent.BellPressed(a, sn, 4, at(1), at(2), EventSource.WEBHOOK), "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEventType")
    void aLockEventIsTheHeaderThenItsOwnFields(LockEvent event, String ownFields) throws Exception {
        JsonNode json = JSON.readTree(EventCodec.toJson(9, event));

        assertThat(names(json)).startsWith(HEADER.toArray(String[]::new));
        assertThat(json.get("id").asLong()).isEqualTo(9);
        assertThat(json.get("type").asText()).isEqualTo(event.getClass().getSimpleName());
        assertThat(json.get("account").asText()).isEqualTo("home");
        assertThat(json.get("serialNumber").asText()).isEqualTo("SN-1");
        assertThat(json.get("lockId").asLong()).isEqualTo(4);
        assertThat(json.get("occurredAt").asText()).isEqualTo("2024-05-01T10:00:01Z");
        assertThat(json.get("observedAt").asText()).isEqualTo("2024-05-01T10:00:02Z");
        assertThat(json.get("source").asText()).isEqualTo(event.source().name());
        assertThat(withoutHeader(json)).isEqualTo(JSON.readTree(ownFields));
    }

    @Test
    void anAddedEventCarriesACompactViewOfTheLock() throws Exception {
        MirroredLock lock = lock("home", "SN-1", 4, LockState.SEMI_LOCKED);

        JsonNode json = JSON.readTree(EventCodec.toJson(new LockEvent.Added("home", "SN-1", 4, at(1), at(2),
                EventSource.GET_ALL, lock)));

        assertThat(json.has("id")).isFalse();
        assertThat(withoutHeader(json)).isEqualTo(JSON.readTree("{\"lock\":{\"name\":\"Door SN-1\",\"state\":\"SEMI_LOCKED\","
                + "\"stateCode\":3,\"doorState\":\"CLOSED\",\"batteryLevel\":80,\"isCharging\":false,"
                + "\"isConnected\":true,\"revision\":7}}"));
    }

    @Test
    void anAddedDisconnectedLockHasNoCurrentPositionButKeepsItsBatteryLevel() throws Exception {
        MirroredLock lock = new MirroredLock("home", "SN-1", 4, "Door", 2, 1, false, false,
                new DeviceState(6, 3, 40, null, null, null), null, at(0), null, null, null);

        JsonNode view = JSON.readTree(EventCodec.toJson(new LockEvent.Added("home", "SN-1", 4, at(1), at(2),
                EventSource.GET_ALL, lock))).get("lock");

        assertThat(view.get("state").isNull()).isTrue();
        assertThat(view.get("stateCode").isNull()).isTrue();
        assertThat(view.get("doorState").isNull()).isTrue();
        assertThat(view.get("batteryLevel").asInt()).isEqualTo(40);
        assertThat(view.get("isCharging").isNull()).isTrue();
        assertThat(view.get("isConnected").asBoolean()).isFalse();
    }

    @Test
    void anAccountEventHasANullSerialAndLockIdAndOccurredWhenObserved() throws Exception {
        SyncEvent event = new AccountEvent.AccountDegraded("home", at(5), "HTTP 503");

        JsonNode json = JSON.readTree(EventCodec.toJson(1, event));

        assertThat(names(json)).containsExactly("id", "type", "account", "serialNumber", "lockId", "occurredAt",
                "observedAt", "source", "reason");
        assertThat(json.get("type").asText()).isEqualTo("AccountDegraded");
        assertThat(json.get("serialNumber").isNull()).isTrue();
        assertThat(json.get("lockId").isNull()).isTrue();
        assertThat(json.get("occurredAt").asText()).isEqualTo("2024-05-01T10:00:05Z");
        assertThat(json.get("source").asText()).isEqualTo("ENGINE");
        assertThat(json.get("reason").asText()).isEqualTo("HTTP 503");
        assertThat(EventCodec.toJson(new AccountEvent.AccountRecovered("home", at(6))))
                .isEqualTo("{\"type\":\"AccountRecovered\",\"account\":\"home\",\"serialNumber\":null,\"lockId\":null,"
                        + "\"occurredAt\":\"2024-05-01T10:00:06Z\",\"observedAt\":\"2024-05-01T10:00:06Z\","
                        + "\"source\":\"ENGINE\"}");
    }

    private static List<String> names(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode withoutHeader(JsonNode json) {
        var copy = json.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(HEADER);
        return copy;
    }
}
