package io.tedeesync.client;

/** Kind of Tedee device ({@code type} / {@code deviceType}); {@link #fromCode(int)} never throws. */
public enum DeviceType {
    BRIDGE(1),
    LOCK_PRO(2),
    KEYPAD(3),
    LOCK_GO(4),
    GATE(5),
    DRY_CONTACT(6),
    DOOR_SENSOR(8),
    KEYPAD_PRO(10),
    /** A code the docs do not list; the raw code is kept beside it ({@link Lock#typeCode()}). */
    UNKNOWN(-1);

    private final int code;

    DeviceType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DeviceType fromCode(int code) {
        for (DeviceType type : values()) {
            if (type.code == code && type != UNKNOWN) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
