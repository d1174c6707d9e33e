package io.tedeesync.client;

/** The optional {@code mode} of the unlock operation. */
public enum UnlockMode {
    /** Default behaviour (since API v1.30 the default does not pull the spring). */
    NORMAL(0),
    /** Only meaningful in the Unknown state: go to Unlocked no matter what. */
    FORCE(2),
    /** Unlock without the automatic pull of the spring. */
    WITHOUT_PULL(3),
    /** Unlock when locked; pull the spring when already unlocked. */
    UNLOCK_OR_PULL(4);

    private final int code;

    UnlockMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
