package io.tedeesync.server;

import io.tedeesync.sync.AccountEvent;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.SyncEvent;

/** What an event changed, in words for people ("LOCKED -> UNLOCKED", "battery 54% -> 53%"). Stateless. */
public final class ChangeDescriptions {
    private ChangeDescriptions() {
    }

    public static String describe(SyncEvent event) {
        if (event instanceof LockEvent.StateChanged e) {
            return (e.from() == null ? "?" : e.from()) + " -> " + e.to() + (e.to().name().equals("UNKNOWN") ? " (" + e.toCode() + ")" : "");
        } else if (event instanceof LockEvent.DoorStateChanged e) {
            return "door " + e.from() + " -> " + e.to();
        } else if (event instanceof LockEvent.ConnectionChanged e) {
            return (e.connected() ? "connected" : "disconnected (position unknown)");
        } else if (event instanceof LockEvent.BatteryChanged e) {
            return "battery " + (e.from() == null ? "?" : e.from() + "%") + " -> " + e.to() + "%";
        } else if (event instanceof LockEvent.ChargingChanged e) {
            return (e.charging() ? "charging" : "not charging");
        } else if (event instanceof LockEvent.SettingsChanged e) {
            return "settings changed (revision " + e.previousRevision() + " -> " + e.revision() + ")"
                    + (e.previousName().equals(e.name()) ? "" : ", renamed '" + e.previousName() + "' -> '" + e.name() + "'");
        } else if (event instanceof LockEvent.IdChanged e) {
            return "re-added, id " + e.previousId() + " -> " + e.lockId();
        } else if (event instanceof LockEvent.Added e) {
            return "added ('" + e.lock().name() + "')";
        } else if (event instanceof LockEvent.Removed) {
            return "removed from the account";
        } else if (event instanceof LockEvent.BellPressed) {
            return "bell pressed";
        } else if (event instanceof AccountEvent.AccountDegraded e) {
            return "degraded: " + e.reason();
        } else if (event instanceof AccountEvent.AccountRecovered) {
            return "recovered";
        } else if (event instanceof AccountEvent.AccountFailed e) {
            return "FAILED: " + e.reason();
        }
        return event.toString();
    }
}
