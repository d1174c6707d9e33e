package io.tedeesync.client;

/**
 * The lock's configuration ({@code deviceSettings}) as far as an integration acts on it. Fields the
 * payload did not carry are null. A change here comes with a higher {@link Lock#revision()}.
 */
public record LockSettings(
        Boolean autoLockEnabled,
        Integer autoLockDelay,
        Boolean autoLockImplicitEnabled,
        Integer autoLockImplicitDelay,
        Boolean pullSpringEnabled,
        Integer pullSpringDuration,
        Boolean autoPullSpringEnabled,
        Boolean postponedLockEnabled,
        Integer postponedLockDelay,
        Boolean buttonLockEnabled,
        Boolean buttonUnlockEnabled,
        Boolean openDoorAlertEnabled,
        Integer openDoorAlertThreshold,
        Boolean autoLockAfterDoorClosedEnabled) {
}
