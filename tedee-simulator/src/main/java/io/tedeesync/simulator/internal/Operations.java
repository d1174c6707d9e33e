package io.tedeesync.simulator.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lock, unlock and pull operations, from the 202 to COMPLETED (howtos/operate-locks.rst).
 *
 * <p>A command the lock cannot carry out (wrong state, lock offline) is still accepted with 202 and
 * completes after the usual delay with result 1 and the state unchanged. That is how the real cloud
 * behaves: it relays the command to the device through the bridge without judging it (its own copy
 * of the state may be stale), and the device refuses; the docs say an uncalibrated lock "will return
 * successful response but nothing will happen". A client must therefore read the operation's result,
 * which is what this makes it do.
 *
 * <p>Not thread-safe: the {@link World}'s monitor guards it.
 */
final class Operations {

    /** The operation's type code (enums/device-operation-type.rst). */
    enum Kind {
        LOCK(0),
        UNLOCK(1),
        PULL(2);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    static final int MODE_DEFAULT = 0;
    static final int MODE_FORCE = 2;
    static final int MODE_WITHOUT_AUTO_PULL = 3;
    static final int MODE_UNLOCK_OR_PULL = 4;

    /** What the 202 carries. */
    record Started(String operationId, Instant lastStateChangedDate) {}

    /** What get-device-operation answers; {@code result} is null while pending. */
    record Status(long deviceId, String operationId, Integer result, boolean completed, int type) {}

    private record Plan(int intermediate, int outcome) {}

    private static final class Operation {
        final String id;
        final long deviceId;
        final String account;
        final Kind kind;
        boolean completed;
        int result;

        Operation(String id, long deviceId, String account, Kind kind) {
            this.id = id;
            this.deviceId = deviceId;
            this.account = account;
            this.kind = kind;
        }

        void complete(int result) {
            this.result = result;
            this.completed = true;
        }
    }

    private static final int SUCCESS = 0;
    private static final int REFUSED = 1;

    private final World world;
    private final Timeline timeline;
    private final Duration delay;
    private final Map<String, Operation> byId = new HashMap<>();
    private long lastIdMillis;

    Operations(World world, Timeline timeline, Duration delay) {
        this.world = world;
        this.timeline = timeline;
        this.delay = delay;
    }

    static boolean isUnlockMode(int mode) {
        return mode == MODE_DEFAULT || mode == MODE_FORCE || mode == MODE_WITHOUT_AUTO_PULL
                || mode == MODE_UNLOCK_OR_PULL;
    }

    Started start(LockDevice device, String account, Kind kind, int unlockMode, Instant now) {
        Operation operation = new Operation(nextId(now), device.id, account, kind);
        byId.put(operation.id, operation);
        Plan plan = plan(device, kind, unlockMode);
        if (plan == null) {
            timeline.schedule(now.plus(delay), at -> operation.complete(REFUSED));
        } else {
            world.applyLockState(device, plan.intermediate(), now);
            long generation = device.motionGeneration;
            timeline.schedule(now.plus(delay), at -> finish(device, operation, plan, generation, at));
        }
        return new Started(operation.id, device.lastStateChangedDate);
    }

    Optional<Status> status(String account, String operationId) {
        return Optional.ofNullable(byId.get(operationId))
                .filter(operation -> operation.account.equals(account))
                .map(operation -> new Status(operation.deviceId, operation.id,
                        operation.completed ? operation.result : null, operation.completed, operation.kind.code));
    }

    private void finish(LockDevice device, Operation operation, Plan plan, long generation, Instant at) {
        if (device.motionGeneration != generation) {
            operation.complete(REFUSED);
            return;
        }
        world.applyLockState(device, plan.outcome(), at);
        operation.complete(SUCCESS);
        if (plan.outcome() == LockCodes.PULLED) {
            timeline.schedule(at.plusSeconds(device.pullSpringSeconds()), released -> {
                if (device.motionGeneration == generation && device.state == LockCodes.PULLED) {
                    world.applyLockState(device, LockCodes.UNLOCKED, released);
                }
            });
        }
    }

    /** The transition the lock makes, or null when it refuses (operate-locks.rst, unlock-mode.rst). */
    private static Plan plan(LockDevice device, Kind kind, int mode) {
        if (!device.connected) {
            return null;
        }
        int state = device.state;
        boolean pullSpring = device.booleanSetting("pullSpringEnabled");
        return switch (kind) {
            case LOCK -> state == LockCodes.UNLOCKED || state == LockCodes.SEMI_LOCKED
                    ? new Plan(LockCodes.LOCKING, LockCodes.LOCKED) : null;
            case PULL -> state == LockCodes.UNLOCKED && pullSpring
                    ? new Plan(LockCodes.PULLING, LockCodes.PULLED) : null;
            case UNLOCK -> {
                if (mode == MODE_UNLOCK_OR_PULL && state == LockCodes.UNLOCKED) {
                    yield pullSpring ? new Plan(LockCodes.PULLING, LockCodes.PULLED) : null;
                }
                boolean unlockable = state == LockCodes.LOCKED || state == LockCodes.SEMI_LOCKED
                        || (mode == MODE_FORCE && state == LockCodes.UNKNOWN);
                boolean autoPull = pullSpring && device.booleanSetting("autoPullSpringEnabled")
                        && mode != MODE_WITHOUT_AUTO_PULL;
                yield unlockable
                        ? new Plan(LockCodes.UNLOCKING, autoPull ? LockCodes.PULLED : LockCodes.UNLOCKED) : null;
            }
        };
    }

    /** Epoch milliseconds like the real ids, bumped past the previous one so two in one millisecond differ. */
    private String nextId(Instant now) {
        lastIdMillis = Math.max(now.toEpochMilli(), lastIdMillis + 1);
        return Long.toString(lastIdMillis);
    }
}
