package io.tedeesync.client;

import java.util.Locale;

/** Progress of a device operation ({@code status}: "PENDING" or "COMPLETED"). Never throws on other text. */
public enum OperationStatus {
    PENDING,
    COMPLETED,
    UNKNOWN;

    public static OperationStatus fromText(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "PENDING":
                return PENDING;
            case "COMPLETED":
                return COMPLETED;
            default:
                return UNKNOWN;
        }
    }
}
