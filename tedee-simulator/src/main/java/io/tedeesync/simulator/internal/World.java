package io.tedeesync.simulator.internal;

import io.tedeesync.simulator.SimAccount;
import io.tedeesync.simulator.SimLock;
import io.tedeesync.simulator.SimStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The simulated cloud's state: accounts, locks, who may see which lock, operations in flight and
 * everything scheduled on the {@link Timeline}.
 *
 * <p>Thread-safe: every entry point synchronizes on this object, and the helpers it owns
 * ({@link Operations}, {@link RandomActivity}, the timeline) only run under that monitor. Every entry
 * point first catches up with the clock, so a change applied "now" never lands before something that
 * was due earlier. Webhooks are only queued here; they are sent by the {@link WebhookDispatcher}
 * after the monitor is released.
 */
public final class World {

    private static final long FIRST_LOCK_ID = 1000;
    private static final long FIRST_BRIDGE_ID = 500;

    private final Clock clock;
    private final Random identities;
    private final WebhookSink webhooks;
    private final Timeline timeline = new Timeline();
    private final Operations operations;
    private final RandomActivity activity;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Account> accountsByKey = new HashMap<>();
    private final Map<String, LockDevice> devicesBySerial = new LinkedHashMap<>();
    private final Map<Long, LockDevice> devicesById = new HashMap<>();
    private final int stateHistoryCapacity;
    private long nextLockId = FIRST_LOCK_ID;

    World(Clock clock, long seed, Duration operationDelay, int stateHistoryCapacity, WebhookSink webhooks) {
        this.clock = clock;
        this.webhooks = webhooks;
        this.stateHistoryCapacity = stateHistoryCapacity;
        // Two streams from one seed: issuing identities never shifts the random activity, and back.
        this.identities = new Random(seed ^ 0x5DEECE66DL);
        this.operations = new Operations(this, timeline, operationDelay);
        this.activity = new RandomActivity(this, timeline, new Random(seed));
    }

    // ---- accounts

    public synchronized SimAccount addAccount(String name, String personalKey) {
        requireText(name, "account name");
        requireText(personalKey, "personal key");
        if (accounts.containsKey(name)) {
            throw new IllegalArgumentException("Account already exists: " + name);
        }
        if (accountsByKey.containsKey(personalKey)) {
            throw new IllegalArgumentException("Another account already uses that personal key");
        }
        SimAccount identity = new SimAccount(name, personalKey, randomUuid().toString());
        Account account = new Account(identity, FIRST_BRIDGE_ID + accounts.size());
        accounts.put(name, account);
        accountsByKey.put(personalKey, account);
        return identity;
    }

    synchronized Optional<String> accountForKey(String personalKey) {
        Account account = accountsByKey.get(personalKey);
        return account == null || account.keyRevoked ? Optional.empty() : Optional.of(account.name());
    }

    /** The account's personal key is replaced, as in the portal: the old one is refused from now on. */
    public synchronized void replaceKey(String accountName, String newKey) {
        requireText(newKey, "personal key");
        Account account = account(accountName);
        if (accountsByKey.containsKey(newKey)) {
            throw new IllegalArgumentException("Another account already uses that personal key");
        }
        accountsByKey.values().removeIf(holder -> holder == account);
        accountsByKey.put(newKey, account);
        account.keyRevoked = false;
    }

    public synchronized void revokeKey(String accountName) {
        account(accountName).keyRevoked = true;
    }

    public synchronized void setWebhooksEnabled(String accountName, boolean enabled) {
        account(accountName).webhooksEnabled = enabled;
    }

    public synchronized String identityOf(String accountName) {
        return account(accountName).identity.userIdentity();
    }

    public synchronized boolean hasAccount(String accountName) {
        return accounts.containsKey(accountName);
    }

    /** Every account's name, in the order they were added: whom the sign-in page offers. */
    synchronized List<String> accountNames() {
        return List.copyOf(accounts.keySet());
    }

    // ---- the lock list

    public synchronized long addLock(String accountName, String serial, String name, int type) {
        Instant now = catchUp();
        Account owner = account(accountName);
        requireText(serial, "serial number");
        requireText(name, "lock name");
        if (type != LockCodes.LOCK_PRO && type != LockCodes.LOCK_GO) {
            throw new IllegalArgumentException("A lock is type 2 (Lock PRO) or 4 (Lock GO), got " + type);
        }
        if (devicesBySerial.containsKey(serial)) {
            throw new IllegalArgumentException("A lock with serial " + serial + " already exists");
        }
        // A Lock GO talks to the cloud without a bridge.
        Long bridge = type == LockCodes.LOCK_PRO ? owner.bridgeId : null;
        LockDevice device = new LockDevice(nextLockId++, serial, name, accountName, type, bridge, now,
                new StateHistory(stateHistoryCapacity));
        devicesBySerial.put(serial, device);
        devicesById.put(device.id, device);
        owner.visible.put(device.id, device);
        activity.deviceAdded(device, now);
        return device.id;
    }

    public synchronized void shareLock(String serial, String accountName) {
        catchUp();
        Account account = account(accountName);
        LockDevice device = device(serial);
        if (device.access.putIfAbsent(accountName, LockCodes.ACCESS_ADMIN) == null && device.present) {
            account.visible.put(device.id, device);
        }
    }

    public synchronized void removeLock(String serial) {
        catchUp();
        LockDevice device = device(serial);
        if (device.present) {
            device.present = false;
            device.motionGeneration++;
            devicesById.remove(device.id);
            hide(device);
        }
    }

    /**
     * The same device added again: the cloud makes a new record, so a new id and a fresh revision,
     * and the accesses shared before are gone; only the owner has it again.
     */
    public synchronized long reAddLock(String serial) {
        Instant now = catchUp();
        LockDevice device = device(serial);
        if (device.present) {
            devicesById.remove(device.id);
            hide(device);
            device.motionGeneration++;
        }
        device.id = nextLockId++;
        device.present = true;
        device.created = now;
        device.revision = 1;
        device.targetDeviceRevision = 1;
        device.deviceRevision = 1;
        device.access.keySet().retainAll(List.of(device.owner));
        devicesById.put(device.id, device);
        accounts.get(device.owner).visible.put(device.id, device);
        return device.id;
    }

    // ---- control: changes made by hand, by the device or in the app

    public synchronized void setLockState(String serial, int code) {
        Instant now = catchUp();
        handTurn(device(serial), code, now);
    }

    public synchronized void setDoorState(String serial, int code) {
        if (code < 0) {
            throw new IllegalArgumentException("A door state code is not negative, got " + code);
        }
        Instant now = catchUp();
        applyDoor(device(serial), code, now);
    }

    public synchronized void setBattery(String serial, int level) {
        if (level < 0 || level > 100) {
            throw new IllegalArgumentException("A battery level is 0..100, got " + level);
        }
        Instant now = catchUp();
        applyBattery(device(serial), level, now);
    }

    /** No webhook: the docs have no event for charging; it shows in the state object only. */
    public synchronized void setCharging(String serial, boolean charging) {
        catchUp();
        device(serial).charging = charging;
    }

    public synchronized void setConnected(String serial, boolean connected) {
        Instant now = catchUp();
        applyConnection(device(serial), connected, now);
    }

    public synchronized void rename(String serial, String name) {
        requireText(name, "lock name");
        Instant now = catchUp();
        LockDevice device = device(serial);
        device.name = name;
        device.revision++;
        emitSettingsChanged(device, now);
    }

    /** Like a settings PATCH: revision and target device revision move; the device follows when connected. */
    public synchronized void changeSettings(String serial, Map<String, Object> changes) {
        Objects.requireNonNull(changes, "changes");
        changes.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("Settings need non-null names and values");
            }
        });
        Instant now = catchUp();
        LockDevice device = device(serial);
        device.changeSettings(changes);
        device.revision++;
        device.targetDeviceRevision++;
        if (device.connected) {
            device.deviceRevision = device.targetDeviceRevision;
        }
        emitSettingsChanged(device, now);
    }

    /** The docs send this only to users with at least Admin access. */
    public synchronized void pressBell(String serial) {
        Instant now = catchUp();
        LockDevice device = device(serial);
        if (device.connected) {
            emit(device, new WebhookEvent.BellPressed(device.id, now), LockCodes.ACCESS_ADMIN);
        }
    }

    public synchronized void randomActivity(Duration meanGap) {
        Objects.requireNonNull(meanGap, "meanGap");
        if (meanGap.isNegative()) {
            throw new IllegalArgumentException("meanGap must not be negative");
        }
        activity.start(meanGap, catchUp(), devicesBySerial.values());
    }

    public synchronized void advance() {
        catchUp();
    }

    // ---- inspection

    public synchronized SimLock snapshot(String serial) {
        catchUp();
        return device(serial).snapshot();
    }

    public synchronized List<SimLock> snapshots() {
        catchUp();
        return devicesBySerial.values().stream().map(LockDevice::snapshot).toList();
    }

    /** The lock's position and connection changes, oldest first (see {@link StateHistory}). */
    public synchronized List<SimStateChange> stateHistory(String serial) {
        catchUp();
        return device(serial).history.toList();
    }

    public synchronized boolean hasLock(String serial) {
        return devicesBySerial.containsKey(serial);
    }

    // ---- what the API serves

    /** The account's locks, by id. */
    synchronized List<LockView> locksOf(String accountName) {
        catchUp();
        Account account = accounts.get(accountName);
        if (account == null) {
            return List.of();
        }
        List<LockView> views = new ArrayList<>(account.visible.size());
        for (LockDevice device : account.visible.values()) {
            views.add(view(device, accountName));
        }
        return views;
    }

    synchronized Optional<LockView> lockOf(String accountName, long id) {
        catchUp();
        return visible(accountName, id).map(device -> view(device, accountName));
    }

    synchronized Optional<Operations.Started> operate(
            String accountName, long id, Operations.Kind kind, int unlockMode) {
        Instant now = catchUp();
        return visible(accountName, id).map(device -> operations.start(device, accountName, kind, unlockMode, now));
    }

    synchronized Optional<Operations.Status> operation(String accountName, String operationId) {
        catchUp();
        return operations.status(accountName, operationId);
    }

    // ---- for the helpers; callers hold the monitor

    Timeline timeline() {
        return timeline;
    }

    LockDevice device(String serial) {
        LockDevice device = devicesBySerial.get(serial);
        if (device == null) {
            throw new IllegalArgumentException("No lock with serial " + serial);
        }
        return device;
    }

    /** A state set by the motor at the end of an operation. */
    void applyLockState(LockDevice device, int code, Instant at) {
        device.state = code;
        device.history.record(at, code, device.connected);
        device.stateChangeResult = 0;
        device.lastStateChangedDate = at;
        if (device.connected && !LockCodes.isIntermediate(code)) {
            emit(device, new WebhookEvent.LockStatusChanged(device.id, device.type, at, code, device.door), 0);
        }
    }

    /** A state set from outside an operation: any operation in flight loses the race. */
    void handTurn(LockDevice device, int code, Instant at) {
        device.motionGeneration++;
        applyLockState(device, code, at);
    }

    void applyDoor(LockDevice device, int code, Instant at) {
        device.door = code;
        // The door travels in lock-status-changed, which must never carry an intermediate state.
        if (device.connected && !LockCodes.isIntermediate(device.state)) {
            emit(device, new WebhookEvent.LockStatusChanged(device.id, device.type, at, device.state, code), 0);
        }
    }

    void applyBattery(LockDevice device, int level, Instant at) {
        device.battery = level;
        if (device.connected) {
            emit(device, new WebhookEvent.BatteryLevelChanged(device.id, device.type, at, level), 0);
        }
    }

    void applyConnection(LockDevice device, boolean connected, Instant at) {
        if (device.connected == connected) {
            return;
        }
        device.connected = connected;
        device.history.record(at, device.state, connected);
        if (connected) {
            device.deviceRevision = device.targetDeviceRevision;
        }
        emit(device, new WebhookEvent.ConnectionChanged(device.id, device.type, at, connected), 0);
    }

    // ---- internals

    private Instant catchUp() {
        Instant now = clock.instant();
        timeline.runDue(now);
        return now;
    }

    private Account account(String accountName) {
        Account account = accounts.get(accountName);
        if (account == null) {
            throw new IllegalArgumentException("No account named " + accountName);
        }
        return account;
    }

    /** Takes the device (under its current id) off every account that saw it. */
    private void hide(LockDevice device) {
        for (String accountName : device.access.keySet()) {
            accounts.get(accountName).visible.remove(device.id, device);
        }
    }

    private Optional<LockDevice> visible(String accountName, long id) {
        return Optional.ofNullable(devicesById.get(id)).filter(device -> device.access.containsKey(accountName));
    }

    private LockView view(LockDevice device, String accountName) {
        return device.viewFor(accountName, accounts.get(device.owner).identity.userIdentity());
    }

    private void emitSettingsChanged(LockDevice device, Instant at) {
        // Settings live in the cloud, so this one goes out even while the lock is offline.
        emit(device, new WebhookEvent.SettingsChanged(device.id, device.type, at, device.name, device.revision), 0);
    }

    private void emit(LockDevice device, WebhookEvent event, int minimumAccess) {
        if (!device.present) {
            return;
        }
        List<String> receivers = new ArrayList<>();
        device.access.forEach((accountName, level) -> {
            Account account = accounts.get(accountName);
            if (account.webhooksEnabled && level >= minimumAccess) {
                receivers.add(account.identity.userIdentity());
            }
        });
        if (!receivers.isEmpty()) {
            webhooks.enqueue(event, List.copyOf(receivers));
        }
    }

    private UUID randomUuid() {
        long high = (identities.nextLong() & ~0xF000L) | 0x4000L;
        long low = (identities.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A " + what + " must not be blank");
        }
    }
}
