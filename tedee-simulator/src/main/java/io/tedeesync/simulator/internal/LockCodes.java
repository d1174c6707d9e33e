package io.tedeesync.simulator.internal;

/** Wire codes of lock states, door states, device types and access levels (enums/*.rst). */
final class LockCodes {

    static final int UNLOCKED = 2;
    static final int SEMI_LOCKED = 3;
    static final int UNLOCKING = 4;
    static final int LOCKING = 5;
    static final int LOCKED = 6;
    static final int PULLED = 7;
    static final int PULLING = 8;
    static final int UNKNOWN = 9;

    static final int DOOR_NOT_PAIRED = 0;
    static final int DOOR_OPENED = 2;
    static final int DOOR_CLOSED = 3;

    static final int LOCK_PRO = 2;
    static final int LOCK_GO = 4;

    static final int ACCESS_ADMIN = 1;
    static final int ACCESS_OWNER = 2;

    private LockCodes() {}

    /** The states the docs never send a lock-status-changed webhook for. */
    static boolean isIntermediate(int state) {
        return state == UNLOCKING || state == LOCKING || state == PULLING;
    }
}
