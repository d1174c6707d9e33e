package io.tedeesync.client;

import java.util.Objects;

/**
 * A lock as returned by get-all and get-single (the API's Lock model), read from either payload
 * generation.
 *
 * <p>The {@link #serialNumber()} is the identity; the {@link #id()} changes when the lock is removed
 * and added to the account again. A lock that is not connected to its bridge has {@code connected ==
 * false} and no {@link #deviceState()}: its position is unknown, not some default.
 *
 * @param id            the lock id (not stable across a re-add)
 * @param serialNumber  the stable identity
 * @param name          the user-given name
 * @param typeCode      raw device type code; see {@link #type()}
 * @param revision      revision of the configuration; a higher one means settings or name changed
 * @param connected     whether the lock is connected to the cloud through its bridge ({@code isConnected})
 * @param deviceState   the reported state, or null when the lock is disconnected or not paired
 * @param settings      configuration, or null when the payload had none
 * @param userIdentity  identity of the owner, as webhooks carry it; null when absent
 * @param timeZone      the lock's time zone id, or null
 */
public record Lock(
        long id,
        String serialNumber,
        String name,
        int typeCode,
        long revision,
        boolean connected,
        DeviceState deviceState,
        LockSettings settings,
        String userIdentity,
        String timeZone) {

    public Lock {
        Objects.requireNonNull(serialNumber, "serialNumber");
        name = name == null ? "" : name;
    }

    public DeviceType type() {
        return DeviceType.fromCode(typeCode);
    }
}
