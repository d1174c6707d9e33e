package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.Harness.BOB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockPayloadTest {

    private Harness harness;
    private long frontDoor;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        frontDoor = harness.sim.addLock("alice", "111111-11111", "Front door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void getAllAtV133CarriesTheStateUnderLockProperties() {
        JsonNode lock = harness.get("/api/v1.33/my/lock", ALICE_KEY).result().get(0);

        assertThat(lock.has("deviceState")).isFalse();
        assertThat(lock.get("lockProperties").get("state").asInt()).isEqualTo(6);
    }

    @Test
    void v134RenamedTheLockModelButNotTheSyncModel() {
        JsonNode lock = harness.get("/api/v1.34/my/lock", ALICE_KEY).result().get(0);
        JsonNode single = harness.get("/api/v1.34/my/lock/" + frontDoor, ALICE_KEY).result();
        JsonNode sync = harness.get("/api/v1.34/my/lock/sync", ALICE_KEY).result().get(0);

        assertThat(lock.has("lockProperties")).isFalse();
        assertThat(lock.get("deviceState").get("state").asInt()).isEqualTo(6);
        assertThat(single.has("deviceState")).isTrue();
        assertThat(sync.has("deviceState")).isFalse();
        assertThat(sync.get("lockProperties").get("state").asInt()).isEqualTo(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.35", "v1.36", "v37", "v38"})
    void fromV135TheSyncModelsCarryDeviceState(String version) {
        JsonNode sync = harness.get("/api/" + version + "/my/lock/sync", ALICE_KEY).result().get(0);
        JsonNode single = harness.get("/api/" + version + "/my/lock/" + frontDoor + "/sync", ALICE_KEY).result();

        assertThat(sync.has("lockProperties")).isFalse();
        assertThat(sync.get("deviceState").get("state").asInt()).isEqualTo(6);
        assertThat(single.get("deviceState").get("state").asInt()).isEqualTo(6);
    }

    @Test
    void syncModelsHaveRevisionFromV133Only() {
        JsonNode old = harness.get("/api/v1.32/my/lock/sync", ALICE_KEY).result().get(0);
        JsonNode oldSingle = harness.get("/api/v1.32/my/lock/" + frontDoor + "/sync", ALICE_KEY).result();
        JsonNode newer = harness.get("/api/v1.33/my/lock/sync", ALICE_KEY).result().get(0);

        assertThat(old.has("revision")).isFalse();
        assertThat(oldSingle.has("revision")).isFalse();
        assertThat(old.get("lockProperties").get("state").asInt()).isEqualTo(6);
        assertThat(newer.get("revision").asInt()).isEqualTo(1);
    }

    @Test
    void lockModelHasTheDocumentedFields() {
        harness.sim.setDoorState("111111-11111", 3);
        harness.sim.setBattery("111111-11111", 54);
        JsonNode lock = harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0);

        assertThat(names(lock)).contains("id", "serialNumber", "name", "type", "userIdentity", "revision",
                "deviceRevision", "targetDeviceRevision", "isConnected", "connectedToId", "timeZone", "created",
                "accessLevel", "deviceSettings", "softwareVersions", "deviceState", "accessories");
        assertThat(lock.get("id").asLong()).isEqualTo(frontDoor);
        assertThat(lock.get("serialNumber").asText()).isEqualTo("111111-11111");
        assertThat(lock.get("name").asText()).isEqualTo("Front door");
        assertThat(lock.get("type").asInt()).isEqualTo(2);
        assertThat(lock.get("isConnected").asBoolean()).isTrue();
        assertThat(lock.get("connectedToId").isNumber()).isTrue();
        assertThat(lock.get("accessLevel").asInt()).isEqualTo(2);
        assertThat(lock.get("created").asText()).isEqualTo("2025-03-10T10:15:00");
        assertThat(lock.get("softwareVersions").get(0).get("version").isTextual()).isTrue();
        assertThat(names(lock.get("deviceSettings"))).containsExactly("autoLockEnabled", "autoLockDelay",
                "autoLockImplicitEnabled", "autoLockImplicitDelay", "pullSpringEnabled", "pullSpringDuration",
                "autoPullSpringEnabled", "postponedLockEnabled", "postponedLockDelay", "buttonLockEnabled",
                "buttonUnlockEnabled", "isAsync", "openDoorAlertEnabled", "openDoorAlertThreshold",
                "autoLockAfterDoorClosedEnabled", "doorStateEventLoggingEnabled");
        JsonNode state = lock.get("deviceState");
        assertThat(names(state)).containsExactly("state", "doorState", "isCharging", "batteryLevel",
                "stateChangeResult", "lastStateChangedDate");
        assertThat(state.get("doorState").asInt()).isEqualTo(3);
        assertThat(state.get("batteryLevel").asInt()).isEqualTo(54);
        assertThat(state.get("lastStateChangedDate").asText()).isEqualTo("2025-03-10T10:15:00.000Z");
    }

    @Test
    void beforeV133TheLockModelNamesAccessoriesOneByOne() {
        JsonNode lock = harness.get("/api/v1.32/my/lock", ALICE_KEY).result().get(0);

        assertThat(lock.has("accessories")).isFalse();
        assertThat(lock.has("connectedToKeypadId")).isTrue();
        assertThat(lock.has("organizationName")).isTrue();
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0).has("organizationName")).isFalse();
    }

    @Test
    void userIdentityIsTheOwnersAndAccessLevelTheReaders() {
        harness.sim.shareLock("111111-11111", "bob");
        JsonNode seenByBob = harness.get("/api/v37/my/lock", BOB_KEY).result().get(0);
        JsonNode seenByAlice = harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0);

        assertThat(seenByBob.get("accessLevel").asInt()).isEqualTo(1);
        assertThat(seenByAlice.get("accessLevel").asInt()).isEqualTo(2);
        assertThat(seenByBob.get("userIdentity").asText()).isEqualTo(harness.alice.userIdentity());
        assertThat(seenByAlice.get("userIdentity").asText()).isEqualTo(harness.alice.userIdentity());
        assertThat(harness.alice.userIdentity()).isNotEqualTo(harness.bob.userIdentity()).hasSize(36);
    }

    @Test
    void lockGoHasTypeFourAndNoBridge() {
        harness.sim.addLock("bob", "444444-44444", "Shed", 4);
        JsonNode lock = harness.get("/api/v37/my/lock", BOB_KEY).result().get(0);

        assertThat(lock.get("type").asInt()).isEqualTo(4);
        assertThat(lock.get("connectedToId").isNull()).isTrue();
    }

    @Test
    void everyAnswerIsWrappedInTheEnvelope() {
        Reply reply = harness.get("/api/v37/my/lock/sync", ALICE_KEY);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.json().get("success").asBoolean()).isTrue();
        assertThat(reply.json().get("errorMessages").isArray()).isTrue();
        assertThat(reply.json().get("errorMessages")).isEmpty();
        assertThat(reply.json().get("statusCode").asInt()).isEqualTo(200);
        assertThat(reply.result().isArray()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.14", "v1.37", "v36", "v2", "v1", "latest", "1.33"})
    void unsupportedVersionsAre404Envelopes(String version) {
        Reply reply = harness.get("/api/" + version + "/my/lock", ALICE_KEY);

        assertThat(reply.status()).isEqualTo(404);
        assertError(reply, 404);
    }

    @Test
    void unknownLockIdIs404WithAMessage() {
        Reply unknown = harness.get("/api/v37/my/lock/999999", ALICE_KEY);
        Reply notANumber = harness.get("/api/v37/my/lock/abc", ALICE_KEY);
        Reply unknownSync = harness.get("/api/v37/my/lock/999999/sync", ALICE_KEY);

        assertError(unknown, 404);
        assertThat(unknown.json().get("errorMessages").get(0).asText()).contains("999999");
        assertError(notANumber, 404);
        assertError(unknownSync, 404);
    }

    @Test
    void anotherAccountsLockIs404() {
        assertError(harness.get("/api/v37/my/lock/" + frontDoor, BOB_KEY), 404);
        assertError(harness.get("/api/v37/my/lock/" + frontDoor + "/sync", BOB_KEY), 404);
        assertThat(harness.get("/api/v37/my/lock", BOB_KEY).result()).isEmpty();
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        assertError(harness.get("/api/v37/my/bridge", ALICE_KEY), 404);
        assertError(harness.post("/api/v37/my/lock/sync", ALICE_KEY), 405);
    }

    @Test
    void pagingSlicesTheLocksById() {
        List<Long> ids = new ArrayList<>(List.of(frontDoor));
        for (int i = 2; i <= 5; i++) {
            ids.add(harness.sim.addLock("alice", "11111" + i + "-11111", "Lock " + i));
        }

        assertThat(idsOf(harness.get("/api/v37/my/lock?Page=2&ItemsPerPage=2", ALICE_KEY))).isEqualTo(ids.subList(2, 4));
        assertThat(idsOf(harness.get("/api/v37/my/lock?page=3&itemsperpage=2", ALICE_KEY))).isEqualTo(ids.subList(4, 5));
        assertThat(idsOf(harness.get("/api/v37/my/lock?Page=4&ItemsPerPage=2", ALICE_KEY))).isEmpty();
        assertThat(idsOf(harness.get("/api/v37/my/lock?ItemsPerPage=3", ALICE_KEY))).isEqualTo(ids.subList(0, 3));
        assertThat(idsOf(harness.get("/api/v37/my/lock", ALICE_KEY))).isEqualTo(ids);
        assertError(harness.get("/api/v37/my/lock?Page=0&ItemsPerPage=2", ALICE_KEY), 400);
    }

    @Test
    void syncFilterTakesRepeatedIdsAndSkipsUnknownOnes() {
        long backDoor = harness.sim.addLock("alice", "222222-22222", "Back door");
        long garage = harness.sim.addLock("alice", "333333-33333", "Garage");
        long bobs = harness.sim.addLock("bob", "555555-55555", "Bob's");

        Reply filtered = harness.get("/api/v37/my/lock/sync?id=" + garage + "&ID=" + frontDoor + "&id=424242&id="
                + bobs, ALICE_KEY);

        assertThat(idsOf(filtered)).containsExactly(frontDoor, garage);
        assertThat(idsOf(harness.get("/api/v37/my/lock/sync", ALICE_KEY))).containsExactly(frontDoor, backDoor, garage);
        assertError(harness.get("/api/v37/my/lock/sync?id=1,2", ALICE_KEY), 400);
    }

    @Test
    void disconnectedLockHasNullStateInSyncAndGetAll() {
        harness.sim.disconnect("111111-11111");

        JsonNode sync = harness.get("/api/v37/my/lock/sync", ALICE_KEY).result().get(0);
        JsonNode single = harness.get("/api/v37/my/lock/" + frontDoor + "/sync", ALICE_KEY).result();
        JsonNode lock = harness.get("/api/v37/my/lock", ALICE_KEY).result().get(0);
        JsonNode oldLock = harness.get("/api/v1.33/my/lock", ALICE_KEY).result().get(0);

        assertThat(sync.get("isConnected").asBoolean()).isFalse();
        assertThat(sync.get("deviceState").isNull()).isTrue();
        assertThat(single.get("deviceState").isNull()).isTrue();
        assertThat(lock.get("isConnected").asBoolean()).isFalse();
        assertThat(lock.get("deviceState").isNull()).isTrue();
        assertThat(oldLock.get("lockProperties").isNull()).isTrue();

        harness.sim.reconnect("111111-11111");
        assertThat(harness.syncedState(frontDoor, ALICE_KEY)).isEqualTo(6);
    }

    @Test
    void rawStateCodesOutsideTheEnumAreServedAsTheyAre() {
        harness.sim.setLockState("111111-11111", 255);

        assertThat(harness.syncedState(frontDoor, ALICE_KEY)).isEqualTo(255);
        assertThat(harness.sim.lock("111111-11111").stateCode()).isEqualTo(255);
    }

    static void assertError(Reply reply, int status) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.json().get("result").isNull()).isTrue();
        assertThat(reply.json().get("success").asBoolean()).isFalse();
        assertThat(reply.json().get("statusCode").asInt()).isEqualTo(status);
        assertThat(reply.json().get("errorMessages")).hasSize(1);
    }

    static List<Long> idsOf(Reply reply) {
        List<Long> ids = new ArrayList<>();
        reply.result().forEach(lock -> ids.add(lock.get("id").asLong()));
        return ids;
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
