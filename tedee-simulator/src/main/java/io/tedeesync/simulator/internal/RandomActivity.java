package io.tedeesync.simulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Random;

/**
 * People living with the locks: for each lock a Poisson process of manual changes, mostly turning
 * the knob, sometimes the door, now and then a battery percent, rarely a lost connection.
 *
 * <p>The next event's time is drawn when the previous one happens and everything runs on the
 * {@link Timeline} in time order, so a seed gives the same history however often the clock is
 * looked at. Not thread-safe: the {@link World}'s monitor guards it.
 */
final class RandomActivity {

    private final World world;
    private final Timeline timeline;
    private final Random random;
    private Duration meanGap = Duration.ZERO;
    /** Bumped on every start or stop, so the events of an earlier run fall silent. */
    private long generation;

    RandomActivity(World world, Timeline timeline, Random random) {
        this.world = world;
        this.timeline = timeline;
        this.random = random;
    }

    void start(Duration meanGap, Instant now, Collection<LockDevice> devices) {
        generation++;
        this.meanGap = meanGap;
        if (!meanGap.isZero()) {
            devices.forEach(device -> scheduleNext(device.serial, now, generation));
        }
    }

    void deviceAdded(LockDevice device, Instant now) {
        if (!meanGap.isZero()) {
            scheduleNext(device.serial, now, generation);
        }
    }

    private void scheduleNext(String serial, Instant from, long run) {
        timeline.schedule(from.plus(gap()), at -> happen(serial, at, run));
    }

    private void happen(String serial, Instant at, long run) {
        if (run != generation) {
            return;
        }
        act(world.device(serial), at);
        scheduleNext(serial, at, run);
    }

    private void act(LockDevice device, Instant at) {
        int roll = random.nextInt(100);
        // Nobody reaches a lock that is gone or offline, and nobody fights the motor.
        if (!device.present || !device.connected || LockCodes.isIntermediate(device.state)
                || device.state == LockCodes.PULLED) {
            return;
        }
        if (roll < 12 && device.door != LockCodes.DOOR_NOT_PAIRED && moveDoor(device, at)) {
            return;
        }
        if (roll >= 12 && roll < 20 && !device.charging && device.battery > 1) {
            world.applyBattery(device, device.battery - 1, at);
            return;
        }
        if (roll >= 20 && roll < 22) {
            world.applyConnection(device, false, at);
            String serial = device.serial;
            timeline.schedule(at.plus(gap()), back -> world.applyConnection(world.device(serial), true, back));
            return;
        }
        turnKnob(device, at);
    }

    /** Opens a closed door of an unlocked lock, or closes an open one; false when neither fits. */
    private boolean moveDoor(LockDevice device, Instant at) {
        if (device.door == LockCodes.DOOR_OPENED) {
            world.applyDoor(device, LockCodes.DOOR_CLOSED, at);
            return true;
        }
        if (device.state == LockCodes.UNLOCKED) {
            world.applyDoor(device, LockCodes.DOOR_OPENED, at);
            return true;
        }
        return false;
    }

    private void turnKnob(LockDevice device, Instant at) {
        if (device.door == LockCodes.DOOR_OPENED) {
            world.applyDoor(device, LockCodes.DOOR_CLOSED, at); // close the door before locking it
            return;
        }
        int next;
        if (device.state == LockCodes.LOCKED) {
            next = LockCodes.UNLOCKED;
        } else if (device.state == LockCodes.UNLOCKED) {
            next = random.nextInt(8) == 0 ? LockCodes.SEMI_LOCKED : LockCodes.LOCKED;
        } else {
            next = LockCodes.LOCKED;
        }
        world.handTurn(device, next, at);
    }

    /** An exponential gap with the configured mean, at least a millisecond. */
    private Duration gap() {
        double mean = meanGap.toMillis();
        long millis = Math.round(-mean * Math.log(1 - random.nextDouble()));
        return Duration.ofMillis(Math.max(1, millis));
    }
}
