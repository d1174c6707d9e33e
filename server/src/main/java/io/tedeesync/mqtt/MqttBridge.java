package io.tedeesync.mqtt;

import io.tedeesync.client.DeviceState;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the engine's locks to MQTT, with Home Assistant discovery: per lock, retained state, attributes and
 * availability (and discovery configs), sending only what changed; {@code online} retained on
 * {@code <prefix>/status} while connected, {@code offline} as its last will and at {@link #close}.
 *
 * <p>A broker that is slow or down never holds up the engine: the listener only notes which serials changed (a
 * set, so the backlog is bounded by the number of locks) and wakes the bridge's own thread, which publishes the
 * locks as they are then. While there is no connection nothing is published; at each (re)connection everything is
 * published again, so the broker catches up with what changed meanwhile. Every 10 s all locks are looked at again,
 * since staleness changes with time alone.
 *
 * <p>In a cluster each instance's engine holds only the accounts it owns, and publishes those; a lock whose account
 * moved to another instance is left to that one (not cleared). Thread-safe; its state is confined to its thread.
 */
public final class MqttBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    private static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final MqttSettings settings;
    private final SyncEngine engine;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor thread;
    private final MqttConnection connection;
    private final MqttCommands commands;
    private final SyncListener listener = this::noteChanges;
    private final String statusTopic;

    /* Written by the engine's listener, read by the bridge's thread. */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();

    /* The bridge's thread only. */
    /** Per serial, the payload last sent per topic, since the connection began. */
    private final Map<String, Map<String, String>> published = new HashMap<>();
    /** Per serial, what its messages were made from the last time (a lock whose inputs are the same is skipped). */
    private final Map<String, Rendering> rendered = new HashMap<>();
    /** Topic key (serial as a topic level) to serial number, for the commands. */
    private final Map<String, String> serialOfKey = new HashMap<>();
    private volatile boolean connected;
    private volatile boolean stopping;

    /** What a lock's messages depend on: not its sync time, which changes at every sync, only whether it is stale. */
    private record Rendering(String account, String name, int typeCode, boolean connected, DeviceState state, DeviceState lastKnown,
            boolean stale) {
        static Rendering of(MirroredLock lock, boolean stale) {
            return new Rendering(lock.account(), lock.name(), lock.typeCode(), lock.connected(), lock.state(), lock.lastKnown(), stale);
        }
    }

    private MqttBridge(MqttSettings settings, SyncEngine engine, Clock clock, String clientId) {
        this.settings = settings;
        this.engine = engine;
        this.clock = clock;
        this.statusTopic = LockTopics.status(settings.topicPrefix());
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread named = new Thread(runnable, "tedee-sync-mqtt");
            named.setDaemon(true);
            return named;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.commands = new MqttCommands(engine, settings.commands(), thread, (topic, payload) -> send(topic, payload, false));
        this.connection = new MqttConnection(settings, clientId, statusTopic, thread, () -> guarded("connecting", this::connected),
                () -> connected = false, this::received);
    }

    /**
     * Starts connecting (in the background: an absent broker is retried, the service starts all the same) and
     * listens to the engine.
     *
     * @param instance this instance's name, for the client id ({@code tedee-sync-<instance>}, characters outside
     *                 {@code [A-Za-z0-9_-]} as {@code _}): two instances must not share one, or the broker drops one of them
     */
    public static MqttBridge start(MqttSettings settings, SyncEngine engine, Clock clock, String instance) {
        MqttBridge bridge = new MqttBridge(settings, engine, clock, "tedee-sync-" + LockTopics.keyOf(instance));
        engine.addListener(bridge.listener);
        bridge.thread.scheduleWithFixedDelay(() -> bridge.guarded("recheck", bridge::publishAll), RECHECK.toMillis(), RECHECK.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("MQTT: publishing to {} under {}/ (discovery: {}, commands: {})", bridge.connection.describe(), settings.topicPrefix(),
                settings.discoveryPrefix() == null ? "off" : settings.discoveryPrefix() + "/", settings.commands() ? "on" : "off");
        bridge.connection.connect();
        return bridge;
    }

    /** Whether the broker connection is up (for tests and health). */
    public boolean isConnected() {
        return connected;
    }

    /** The engine's listener: note, wake, return. Never waits for the broker. */
    private void noteChanges(ChangeBatch batch) {
        for (MirroredLock lock : batch.changed()) {
            changed.add(lock.serialNumber());
        }
        removed.addAll(batch.removed());
        if (wakeUpPending.compareAndSet(false, true)) {
            thread.execute(() -> {
                wakeUpPending.set(false);
                guarded("changes", this::publishChanged);
            });
        }
    }

    private void connected() {
        connected = true;
        published.clear(); // a new session: nothing of what was sent counts, send it all again
        rendered.clear();
        connection.subscribe(LockTopics.commandFilter(settings.topicPrefix()));
        connection.subscribe(statusTopic);
        if (settings.discoveryPrefix() != null) {
            connection.subscribe(homeAssistantStatus());
        }
        send(statusTopic, LockMessages.ONLINE, true);
        guarded("republish", this::publishAll);
    }

    private void received(MqttConnection.Incoming message) {
        guarded("a message", () -> {
            if (message.topic().equals(statusTopic)) {
                // In a cluster another instance's last will says "offline" for the whole service while this one still runs.
                if (LockMessages.OFFLINE.equals(message.payload()) && !message.retained() && !stopping && connected) {
                    send(statusTopic, LockMessages.ONLINE, true);
                }
            } else if (settings.discoveryPrefix() != null && message.topic().equals(homeAssistantStatus())) {
                if (LockMessages.ONLINE.equals(message.payload().trim()) && !message.retained()) {
                    LOG.info("MQTT: Home Assistant is online: sending discovery again");
                    published.clear();
                    rendered.clear();
                    publishAll();
                }
            } else {
                String key = LockTopics.keyOfCommandTopic(settings.topicPrefix(), message.topic());
                if (key != null) {
                    commands.handle(new LockTopics(settings.topicPrefix(), settings.discoveryPrefix(), key), serialOfKey.get(key),
                            message.payload(), message.retained());
                }
            }
        });
    }

    /** Every lock the engine holds now; forgets those it no longer holds (moved to another instance). */
    private void publishAll() {
        changed.clear();
        if (!connected) {
            return;
        }
        clearRemoved();
        List<MirroredLock> locks = engine.locks();
        Set<String> here = new HashSet<>();
        for (MirroredLock lock : locks) {
            here.add(lock.serialNumber());
            publish(lock);
        }
        published.keySet().retainAll(here);
        rendered.keySet().retainAll(here);
        serialOfKey.values().retainAll(here);
    }

    private void publishChanged() {
        if (!connected) {
            changed.clear(); // the reconnection publishes everything
            return;
        }
        clearRemoved();
        for (String serial : List.copyOf(changed)) {
            changed.remove(serial);
            engine.lock(serial).ifPresent(this::publish);
        }
    }

    private void publish(MirroredLock lock) {
        boolean stale = engine.isStale(lock, clock.instant());
        Rendering rendering = Rendering.of(lock, stale);
        if (rendering.equals(rendered.get(lock.serialNumber()))) {
            return;
        }
        LockTopics topics = LockTopics.of(settings, lock.serialNumber());
        serialOfKey.put(topics.key(), lock.serialNumber());
        Map<String, String> sent = published.computeIfAbsent(lock.serialNumber(), serial -> new HashMap<>());
        LockMessages.of(lock, stale, topics).forEach((topic, payload) -> {
            if (!payload.equals(sent.get(topic))) {
                sent.put(topic, payload);
                send(topic, payload, true);
            }
        });
        rendered.put(lock.serialNumber(), rendering);
    }

    /** Removed locks (gone from the account): empty retained messages on all their topics, which removes their entities. */
    private void clearRemoved() {
        for (String serial : List.copyOf(removed)) {
            removed.remove(serial);
            if (engine.lock(serial).isPresent()) {
                continue; // back already (re-added)
            }
            LockTopics topics = LockTopics.of(settings, serial);
            LOG.info("MQTT: {} was removed: clearing its topics{}", serial, settings.discoveryPrefix() != null ? " and entities" : "");
            topics.retained().forEach(topic -> send(topic, "", true));
            published.remove(serial);
            rendered.remove(serial);
            serialOfKey.remove(topics.key());
        }
    }

    private void send(String topic, String payload, boolean retain) {
        if (!connected) {
            return;
        }
        connection.publish(topic, payload, retain).whenComplete((ack, error) -> {
            if (error != null) {
                thread.execute(() -> forget(topic)); // sent again at the next look, or at the reconnection
                LOG.debug("MQTT: could not publish to {}: {}", topic, error.getMessage());
            }
        });
    }

    private void forget(String topic) {
        for (Map.Entry<String, Map<String, String>> lock : published.entrySet()) {
            if (lock.getValue().remove(topic) != null) {
                rendered.remove(lock.getKey());
            }
        }
    }

    private String homeAssistantStatus() {
        return settings.discoveryPrefix() + "/status";
    }

    /** Scheduled work never dies silently: a bug is logged and the next round runs. */
    private void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("MQTT: {} failed", what, e);
        }
    }

    /** Publishes {@code offline} on the status topic (a clean disconnect sends no last will), disconnects, stops the thread. */
    @Override
    public void close() {
        engine.removeListener(listener);
        java.util.concurrent.Future<?> goodbye = thread.submit(() -> {
            stopping = true;
            if (connected) {
                try {
                    connection.publish(statusTopic, LockMessages.OFFLINE, true).get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    LOG.warn("MQTT: could not say offline before disconnecting: {}", e.getMessage());
                }
            }
            connected = false;
        });
        try {
            goodbye.get(STOP_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("MQTT: stopping took too long: {}", e.getMessage());
        }
        try {
            connection.disconnect().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT: disconnect: {}", e.getMessage()); // not connected: nothing to close
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
