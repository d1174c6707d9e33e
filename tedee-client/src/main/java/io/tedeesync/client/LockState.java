package io.tedeesync.client;

/**
 * Position of a lock as Tedee reports it (the {@code state} field of the device state).
 *
 * <p>Codes the docs do not list arrive in real life (255 has been seen); {@link #fromCode(int)} maps
 * them to {@link #UNKNOWN} and never throws. Callers that need the raw code keep it beside the enum,
 * as {@link DeviceState#stateCode()} does.
 */
public enum LockState {
    UNCALIBRATED(0),
    CALIBRATING(1),
    UNLOCKED(2),
    SEMI_LOCKED(3),
    UNLOCKING(4),
    LOCKING(5),
    LOCKED(6),
    PULLED(7),
    PULLING(8),
    /** Tedee's own "Unknown" (9), and every code this version of the library does not know. */
    UNKNOWN(9),
    UPDATING(18);

    private final int code;

    LockState(int code) {
        this.code = code;
    }

    /** The wire code; for {@link #UNKNOWN} this is 9, whatever code was received. */
    public int code() {
        return code;
    }

    /** The state for a wire code; {@link #UNKNOWN} for codes the docs do not list. Never throws. */
    public static LockState fromCode(int code) {
        for (LockState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return UNKNOWN;
    }

    /** Locking, unlocking or pulling: a lock passes through these during an operation; webhooks never carry them. */
    public boolean isMoving() {
        return this == LOCKING || this == UNLOCKING || this == PULLING;
    }
}
