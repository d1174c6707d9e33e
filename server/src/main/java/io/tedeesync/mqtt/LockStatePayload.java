package io.tedeesync.mqtt;

import io.tedeesync.client.DeviceState;
import io.tedeesync.client.LockState;
import io.tedeesync.sync.MirroredLock;

/**
 * What {@code <prefix>/<serial>/state} carries: Home Assistant's lock states, plus {@link #UNKNOWN} for "the position
 * is not known now", which the discovery config declares as Home Assistant's {@code payload_reset} (the entity shows
 * "unknown"). {@link #of} is the one mapping from Tedee's states; the README's table is this one.
 *
 * <table>
 * <caption>Tedee state → payload</caption>
 * <tr><td>any state but a move, with {@code stateChangeResult} &gt; 0</td><td>JAMMED (the last move failed: Tedee's
 * event 40, "lock got stuck during locking/unlocking/pulling")</td></tr>
 * <tr><td>Locked (6)</td><td>LOCKED</td></tr>
 * <tr><td>Unlocked (2)</td><td>UNLOCKED</td></tr>
 * <tr><td>Locking (5)</td><td>LOCKING (whatever {@code stateChangeResult}: a new move is under way)</td></tr>
 * <tr><td>Unlocking (4)</td><td>UNLOCKING (idem)</td></tr>
 * <tr><td>Pulled (7)</td><td>OPEN (the latch is pulled)</td></tr>
 * <tr><td>Pulling (8)</td><td>OPENING (idem)</td></tr>
 * <tr><td>SemiLocked (3)</td><td>JAMMED (the bolt stopped between positions: the door is not secure)</td></tr>
 * <tr><td>Uncalibrated (0)</td><td>UNKNOWN, and availability {@code offline} (a setup state: it cannot be operated
 * until calibrated in the Tedee app)</td></tr>
 * <tr><td>Calibrating (1)</td><td>UNKNOWN (it runs through its range: no position yet)</td></tr>
 * <tr><td>Updating (18)</td><td>UNKNOWN (firmware update: no position until it reports again)</td></tr>
 * <tr><td>Unknown (9), any code Tedee does not document, no state in the payload</td><td>UNKNOWN</td></tr>
 * <tr><td>disconnected, or reconnected and not reported yet (no current state)</td><td>UNKNOWN (and availability offline
 * while disconnected)</td></tr>
 * </table>
 */
enum LockStatePayload {
    LOCKED, UNLOCKED, LOCKING, UNLOCKING, JAMMED, OPEN, OPENING,
    /** The position is not known now; Home Assistant's {@code payload_reset}. */
    UNKNOWN;

    /** The payload for the lock's current state ({@link MirroredLock#state()}: null while the position is not known). */
    static LockStatePayload of(MirroredLock lock) {
        DeviceState state = lock.state();
        return state == null ? UNKNOWN : of(state);
    }

    /** The state, and whether its last move failed ({@code stateChangeResult} &gt; 0), which makes it {@link #JAMMED}. */
    static LockStatePayload of(DeviceState state) {
        LockStatePayload position = of(state.state());
        boolean moving = position == LOCKING || position == UNLOCKING || position == OPENING;
        boolean failed = state.stateChangeResult() != null && state.stateChangeResult() > 0;
        return failed && !moving ? JAMMED : position;
    }

    static LockStatePayload of(LockState state) {
        switch (state) {
            case LOCKED: return LOCKED;
            case UNLOCKED: return UNLOCKED;
            case LOCKING: return LOCKING;
            case UNLOCKING: return UNLOCKING;
            case PULLED: return OPEN;
            case PULLING: return OPENING;
            case SEMI_LOCKED: return JAMMED;
            case UNCALIBRATED:
            case CALIBRATING:
            case UPDATING:
            case UNKNOWN:
            default:
                return UNKNOWN;
        }
    }

    /** Whether the lock can take commands in this state at all: an uncalibrated lock cannot until it is set up in the app. */
    static boolean operable(DeviceState state) {
        return state == null || state.state() != LockState.UNCALIBRATED;
    }
}
