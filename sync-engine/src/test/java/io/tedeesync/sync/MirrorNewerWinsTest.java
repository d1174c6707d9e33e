package io.tedeesync.sync;

import static io.tedeesync.sync.Locks.T0;
import static io.tedeesync.sync.Locks.lock;
import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.DoorState;
import io.tedeesync.client.webhook.DeviceBatteryLevelChanged;
import io.tedeesync.client.webhook.DeviceConnectionChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Newer wins, for every kind of answer: what a webhook said while an answer was on its way is not
 * undone by that answer. And the two list rules that lost data: a one-lock account, a battery first.
 */
class MirrorNewerWinsTest {
    private static final Instant LISTED = T0.plus(Duration.ofMinutes(1));
    private final Instant webhookAt = LISTED.plus(Duration.ofMinutes(5));
    private final Instant requestedBefore = webhookAt.minusMillis(400);
    private final Instant answeredAfter = webhookAt.plusMillis(200);
    private Mirror mirror;

    @BeforeEach
    void oneLockedLock() {
        mirror = new Mirror("home");
        mirror.apply(new Observation.LockList(List.of(lock(1, "S1").battery(80).build())), LISTED);
    }

    private void disconnectedByWebhook() {
        mirror.apply(new Observation.Webhook(new DeviceConnectionChanged("device-connection-changed", webhookAt, "owner-identity",
                1, webhookAt, 2, false)), webhookAt);
    }

    @Test
    void aGetAllRequestedBeforeAWebhookDoesNotUndoIt() {
        disconnectedByWebhook();

        MergeResult list = mirror.apply(new Observation.LockList(List.of(lock(1, "S1").battery(80).build()), requestedBefore), answeredAfter);

        assertThat(list.events()).isEmpty();
        assertThat(mirror.bySerial("S1").orElseThrow().connected()).as("the webhook's disconnect stands").isFalse();
    }

    @Test
    void detailsRequestedBeforeAWebhookDoNotUndoItButTheirNameIsTaken() {
        mirror.apply(new Observation.Webhook(new DeviceBatteryLevelChanged("device-battery-level-changed", webhookAt, "owner-identity",
                1, webhookAt, 2, 42)), webhookAt);

        MergeResult details = mirror.apply(new Observation.Details(lock(1, "S1").battery(80).name("Front door").revision(2).build(),
                requestedBefore), answeredAfter);

        MirroredLock lock = mirror.bySerial("S1").orElseThrow();
        assertThat(lock.lastKnown().batteryLevel()).isEqualTo(42);
        assertThat(lock.name()).as("configuration carries no such race").isEqualTo("Front door");
        assertThat(details.events()).singleElement().isInstanceOf(LockEvent.SettingsChanged.class);
    }

    @Test
    void aGetAllRequestedAfterTheWebhookIsNewerAndWins() {
        disconnectedByWebhook();

        mirror.apply(new Observation.LockList(List.of(lock(1, "S1").battery(80).build()), webhookAt.plusMillis(100)), answeredAfter);

        assertThat(mirror.bySerial("S1").orElseThrow().connected()).isTrue();
    }

    @Test
    void anEmptyListDoesNotRemoveTheOnlyLockOfAnAccountAtOnce() {
        MergeResult empty = mirror.apply(new Observation.LockList(List.of()), LISTED.plusSeconds(30));

        assertThat(empty.events()).isEmpty();
        assertThat(empty.listRefreshNeeded()).as("confirmed by the next list").isTrue();
        assertThat(mirror.size()).isEqualTo(1);

        MergeResult confirmed = mirror.apply(new Observation.LockList(List.of()), LISTED.plusSeconds(60));

        assertThat(confirmed.events()).singleElement().isInstanceOf(LockEvent.Removed.class);
    }

    @Test
    void aBatteryReadingThatArrivesFirstLeavesTheDoorAbsentNotUnpaired() {
        Mirror fresh = new Mirror("home");
        fresh.apply(new Observation.LockList(List.of(lock(7, "S7").disconnected().build())), LISTED);

        fresh.apply(new Observation.Webhook(new DeviceBatteryLevelChanged("device-battery-level-changed", webhookAt, "owner-identity",
                7, webhookAt, 2, 55)), webhookAt);

        DeviceState known = fresh.bySerial("S7").orElseThrow().lastKnown();
        assertThat(known.batteryLevel()).isEqualTo(55);
        assertThat(known.doorStateCode()).isEqualTo(DeviceState.ABSENT);
        assertThat(known.doorState()).isNotEqualTo(DoorState.NOT_PAIRED);
    }
}
