package io.tedeesync.client;

/** Kind of a device operation ({@code type} of a device operation); {@link #fromCode(int)} never throws. */
public enum OperationType {
    LOCK(0),
    UNLOCK(1),
    PULL(2),
    UNKNOWN(-1);

    private final int code;

    OperationType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static OperationType fromCode(int code) {
        for (OperationType type : values()) {
            if (type.code == code && type != UNKNOWN) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
