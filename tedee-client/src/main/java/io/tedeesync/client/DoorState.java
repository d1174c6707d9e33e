package io.tedeesync.client;

/**
 * State of the door as seen by a door sensor paired with the lock ({@code doorState}).
 * {@link #fromCode(int)} never throws: undocumented codes become {@link #UNKNOWN}.
 */
public enum DoorState {
    NOT_PAIRED(0),
    DISCONNECTED(1),
    OPENED(2),
    CLOSED(3),
    UNCALIBRATED(4),
    /** A code the docs do not list; the raw code is kept beside it ({@link DeviceState#doorStateCode()}). */
    UNKNOWN(-1);

    private final int code;

    DoorState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DoorState fromCode(int code) {
        for (DoorState state : values()) {
            if (state.code == code && state != UNKNOWN) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
