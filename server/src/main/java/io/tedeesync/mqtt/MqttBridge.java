package io.tedeesync.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import io.tedeesync.client.DeviceState;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
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
 * <p>A lock that leaves the engine is cleared (empty retained messages on all its topics, which removes its Home
 * Assistant entities): removed from its account, or its account removed from the service. In a cluster a lock that
 * leaves because its account moved to another instance is left to that one, which publishes it (not cleared); only a
 * removal the engine reports is cleared there. Thread-safe; its state is confined to its thread.
 */
public final class MqttBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Home Assistant's birth message goes here whatever its discovery prefix (its default birth topic). */
    static final String HOME_ASSISTANT_STATUS = "homeassistant/status";
    /** Discovery configs sent again at once when Home Assistant comes online: thousands of locks do not burst. */
    private static final int REDISCOVERY_IN_FLIGHT = 32;

    private final MqttSettings settings;
    private final SyncEngine engine;
    private final Clock clock;
    private final boolean clustered;
    private final MqttHealth health;
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
    private final PublishedTopics published = new PublishedTopics();
    /** Per serial, what its messages were made from the last time (a lock whose inputs are the same is skipped). */
    private final Map<String, Rendering> rendered = new HashMap<>();
    /** Topic key (serial as a topic level) to serial number, of every lock published since the start (not only this session). */
    private final Map<String, String> serialOfKey = new HashMap<>();
    /** Locks whose discovery configs are to be sent again, and how many of those publishes are not acknowledged yet. */
    private final ArrayDeque<String> rediscovery = new ArrayDeque<>();
    private int rediscoveryInFlight;
    /** Counts the connections, so that an acknowledgement of an earlier one does not count against this one. */
    private int session;
    private volatile boolean connected;
    private volatile boolean stopping;

    /** What a lock's messages depend on: not its sync time, which changes at every sync, only whether it is stale. */
    private record Rendering(String account, String name, int typeCode, boolean connected, DeviceState state, DeviceState lastKnown,
            boolean stale, boolean canOpen) {
        static Rendering of(MirroredLock lock, boolean stale) {
            return new Rendering(lock.account(), lock.name(), lock.typeCode(), lock.connected(), lock.state(), lock.lastKnown(), stale,
                    DiscoveryConfigs.canOpen(lock));
        }
    }

    private MqttBridge(MqttSettings settings, SyncEngine engine, Clock clock, String clientId, boolean clustered, MqttHealth health) {
        this.settings = settings;
        this.engine = engine;
        this.clock = clock;
        this.clustered = clustered;
        this.health = health;
        this.statusTopic = LockTopics.status(settings.topicPrefix());
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread named = new Thread(runnable, "tedee-sync-mqtt");
            named.setDaemon(true);
            return named;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.commands = new MqttCommands(engine, settings.commands(), thread, (topic, payload) -> send(topic, payload, false));
        this.connection = new MqttConnection(settings, clientId, statusTopic, thread, health, () -> guarded("connecting", this::connected),
                () -> connected = false, this::received);
    }

    /**
     * Starts connecting (in the background: an absent broker is retried, the service starts all the same) and
     * listens to the engine.
     *
     * @param instance  this instance's name, for the client id ({@code tedee-sync-<instance>}, characters outside
     *                  {@code [A-Za-z0-9_-]} as {@code _}): two instances must not share one, or the broker drops one of them
     * @param clustered whether other instances share the accounts (a lock leaving the engine may be a hand-over)
     * @param health    where the connection's state and figures go ({@link MqttHealth#register})
     */
    public static MqttBridge start(MqttSettings settings, SyncEngine engine, Clock clock, String instance, boolean clustered,
            MqttHealth health) {
        MqttBridge bridge = new MqttBridge(settings, engine, clock, "tedee-sync-" + LockTopics.keyOf(instance), clustered, health);
        engine.addListener(bridge.listener);
        bridge.thread.scheduleWithFixedDelay(() -> bridge.guarded("recheck", bridge::publishAll), settings.recheckEvery().toMillis(),
                settings.recheckEvery().toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("MQTT: publishing to {} under {}/ (discovery: {}, commands: {})", bridge.connection.describe(), settings.topicPrefix(),
                settings.discoveryPrefix() == null ? "off" : settings.discoveryPrefix() + "/", settings.commands() ? "on" : "off");
        bridge.connection.connect();
        return bridge;
    }

    /** The engine's listener: note, wake, return. Never waits for the broker. */
    private void noteChanges(ChangeBatch batch) {
        for (MirroredLock lock : batch.changed()) {
            changed.add(lock.serialNumber());
        }
        removed.addAll(batch.removed());
        if (wakeUpPending.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    wakeUpPending.set(false);
                    guarded("changes", this::publishChanged);
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the bridge is closing: the engine's last changes are not published (the status says offline)
            }
        }
    }

    private void connected() {
        connected = true;
        session++;
        published.clear(); // a new session: nothing of what was sent counts, send it all again
        rendered.clear();
        rediscovery.clear(); // everything goes out below
        rediscoveryInFlight = 0;
        connection.subscribe(LockTopics.commandFilter(settings.topicPrefix()));
        connection.subscribe(statusTopic);
        homeAssistantStatusTopics().forEach(connection::subscribe);
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
            } else if (homeAssistantStatusTopics().contains(message.topic())) {
                if (LockMessages.ONLINE.equals(message.payload().trim()) && !message.retained()) {
                    LOG.info("MQTT: Home Assistant is online: sending discovery again");
                    rediscover();
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

    /** Every lock the engine holds now; clears (on one instance) or forgets (in a cluster) those it no longer holds. */
    private void publishAll() {
        changed.clear();
        if (!connected) {
            return;
        }
        clearRemoved();
        Set<String> here = new HashSet<>();
        for (MirroredLock lock : engine.locks()) {
            here.add(lock.serialNumber());
            publish(lock);
        }
        if (!clustered) { // no other owner to hand over to: gone from the engine is gone (its account was removed)
            for (String serial : List.copyOf(serialOfKey.values())) {
                if (!here.contains(serial)) {
                    clear(serial, "left the service (its account was removed)");
                }
            }
        }
        published.retainLocks(here);
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
        LockMessages.of(lock, stale, topics).forEach((topic, payload) -> {
            if (published.record(lock.serialNumber(), topic, payload)) {
                send(topic, payload, true);
            }
        });
        rendered.put(lock.serialNumber(), rendering);
    }

    /** Removed locks (gone from the account): their topics cleared. */
    private void clearRemoved() {
        for (String serial : List.copyOf(removed)) {
            removed.remove(serial);
            if (engine.lock(serial).isEmpty()) { // else back already (re-added)
                clear(serial, "was removed");
            }
        }
    }

    /** Empty retained messages on all the lock's topics, which removes its entities. */
    private void clear(String serial, String why) {
        LockTopics topics = LockTopics.of(settings, serial);
        LOG.info("MQTT: {} {}: clearing its topics{}", serial, why, settings.discoveryPrefix() != null ? " and entities" : "");
        topics.retained().forEach(topic -> send(topic, "", true));
        published.forgetLock(topics);
        rendered.remove(serial);
        serialOfKey.remove(topics.key());
    }

    /** Home Assistant is (back) online: its discovery configs again, a bounded number in flight (state and attributes are retained). */
    private void rediscover() {
        if (settings.discoveryPrefix() == null) {
            return;
        }
        Set<String> serials = new LinkedHashSet<>(rediscovery);
        engine.locks().forEach(lock -> serials.add(lock.serialNumber()));
        rediscovery.clear();
        rediscovery.addAll(serials);
        sendDiscovery();
    }

    private void sendDiscovery() {
        while (connected && rediscoveryInFlight < REDISCOVERY_IN_FLIGHT && !rediscovery.isEmpty()) {
            Optional<MirroredLock> lock = engine.lock(rediscovery.poll());
            if (lock.isEmpty()) {
                continue;
            }
            String serial = lock.get().serialNumber();
            int sentIn = session;
            DiscoveryConfigs.of(lock.get(), LockTopics.of(settings, serial)).forEach((topic, payload) -> {
                published.record(serial, topic, payload);
                rediscoveryInFlight++;
                send(topic, payload, true).whenComplete((ack, error) -> thread.execute(() -> {
                    if (sentIn == session) {
                        rediscoveryInFlight--;
                        guarded("rediscovery", this::sendDiscovery);
                    }
                }));
            });
        }
    }

    /** Sends at once (QoS 1); completes when acknowledged, exceptionally when it could not be sent. Without a connection: nothing. */
    private CompletableFuture<?> send(String topic, String payload, boolean retain) {
        if (!connected) {
            return CompletableFuture.completedFuture(null);
        }
        return connection.publish(topic, payload, retain).whenComplete((ack, error) -> {
            if (error == null) {
                health.published();
            } else {
                health.publishFailed();
                thread.execute(() -> forget(topic)); // sent again at the next look, or at the reconnection
                LOG.debug("MQTT: could not publish to {}: {}", topic, error.getMessage());
            }
        });
    }

    private void forget(String topic) {
        if (!connected) {
            return; // the session ended: the reconnection forgets everything anyway
        }
        String serial = published.forget(topic);
        if (serial != null) {
            rendered.remove(serial);
        }
    }

    /** {@code homeassistant/status}, and {@code <discovery>/status} too when the prefix differs; none without discovery. */
    private List<String> homeAssistantStatusTopics() {
        if (settings.discoveryPrefix() == null) {
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(List.of(HOME_ASSISTANT_STATUS, settings.discoveryPrefix() + "/status")));
    }

    /** Scheduled work never dies silently: a bug is logged and the next round runs. */
    private void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("MQTT: {} failed", what, e);
        }
    }

    /** HiveMQ's state of the client (for tests that a closed bridge stays disconnected). */
    MqttClientState connectionState() {
        return connection.state();
    }

    /**
     * Publishes {@code offline} on the status topic (a clean disconnect sends no last will), disconnects, stops the
     * thread. With the broker down it calls off the reconnection: the closed client never connects again.
     */
    @Override
    public void close() {
        engine.removeListener(listener);
        Future<?> goodbye = thread.submit(() -> {
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
            connection.close().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT: disconnect: {}", e.getMessage());
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
