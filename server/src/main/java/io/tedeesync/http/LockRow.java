package io.tedeesync.http;

import java.util.Objects;

/**
 * One lock of the fleet as the list, its filters, its order and the summary see it: its view, and the account
 * it was seen through (the view shows the account only when there are several). A lock shared between two
 * accounts is two rows. Immutable.
 */
record LockRow(String account, LockJson view) {
    LockRow {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(view, "view");
    }

    Key key() {
        return new Key(account, view.serialNumber());
    }

    /** What names a row across requests: its account and serial number (a page snapshot keeps these). */
    record Key(String account, String serialNumber) {
        Key {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(serialNumber, "serialNumber");
        }
    }
}
