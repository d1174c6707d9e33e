package io.tedeesync.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one MQTT 3.1.1 connection to the broker (HiveMQ's async client): it reconnects by itself with a backoff from
 * 1 s to 30 s, and leaves a retained {@code offline} on the status topic as its last will. Every callback it makes
 * (connected, lost, a message) runs on the given executor, never on the client's own threads. Thread-safe.
 *
 * <p>HiveMQ 1.3.7's {@code disconnect()} fails while there is no connection and does not stop its automatic
 * reconnection, so a client closed while the broker is down would keep trying, and connect once the broker is back,
 * under this client id. Hence each reconnection waits, after HiveMQ's backoff, for a gate that {@link #close} opens
 * at once, and the reconnector is told not to reconnect when we are closing.
 */
final class MqttConnection {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");

    private final Mqtt3AsyncClient client;
    private final MqttSettings settings;
    private final MqttHealth health;
    private final ScheduledExecutorService executor;
    /** Whether the last attempt failed or the connection was lost: one WARN per outage, not one per retry. */
    private volatile boolean down;
    private volatile boolean closing;
    /** What the pending reconnection waits for; completed at its backoff, or at once by {@link #close}. */
    private volatile CompletableFuture<Void> reconnectGate = CompletableFuture.completedFuture(null);

    /**
     * @param onConnected called after every (re)connection: the session is new, so subscribe and publish everything again
     * @param onLost      called at once (on the client's thread: must only note it) when the connection is lost or an attempt failed
     * @param onMessage   a message on a subscribed topic
     */
    MqttConnection(MqttSettings settings, String clientId, String statusTopic, ScheduledExecutorService executor, MqttHealth health,
            Runnable onConnected, Runnable onLost, Consumer<Incoming> onMessage) {
        this.settings = settings;
        this.health = health;
        this.executor = executor;
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3()
                .identifier(clientId)
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect().initialDelay(1, TimeUnit.SECONDS).maxDelay(30, TimeUnit.SECONDS).applyAutomaticReconnect()
                .addConnectedListener(context -> {
                    if (closing) { // an attempt that was under way when we closed
                        client().disconnect();
                        return;
                    }
                    health.up();
                    executor.execute(() -> {
                        LOG.info("MQTT: connected to {} as {}", describe(), clientId);
                        down = false;
                        onConnected.run();
                    });
                })
                .addDisconnectedListener(context -> {
                    onLost.run();
                    lost(context);
                });
        if (settings.tls()) {
            builder = builder.sslWithDefaultConfig();
        }
        if (settings.username() != null) {
            builder = builder.simpleAuth()
                    .username(settings.username())
                    .password(settings.password() == null ? new byte[0] : settings.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        client = builder.willPublish()
                .topic(statusTopic).payload(LockMessages.OFFLINE.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .applyWillPublish()
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, publish -> onMessage.accept(new Incoming(publish.getTopic().toString(),
                new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8), publish.isRetain())), executor);
    }

    /**
     * A message from the broker.
     *
     * @param retained true when the broker kept it from before and sent it because we subscribed (not news)
     */
    record Incoming(String topic, String payload, boolean retained) {
    }

    /** Starts connecting; returns at once. A broker that is not there yet is retried with the backoff. */
    void connect() {
        client.connectWith().cleanSession(true).keepAlive(30).send();
    }

    /** QoS 1; completes when the broker acknowledged it, exceptionally when it could not be sent. */
    CompletableFuture<Mqtt3Publish> publish(String topic, String payload, boolean retain) {
        return client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain).send();
    }

    CompletableFuture<?> subscribe(String filter) {
        return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    /**
     * No reconnection from now on, and a clean disconnect (no last will) if connected: completes when the client is
     * disconnected for good (at once without a connection; a pending reconnection is called off).
     */
    CompletableFuture<Void> close() {
        closing = true;
        reconnectGate.complete(null);
        return client.getState().isConnected() ? client.disconnect() : CompletableFuture.completedFuture(null);
    }

    /** HiveMQ's state of the client (for tests that a closed client stays disconnected). */
    MqttClientState state() {
        return client.getState();
    }

    /** The broker's address, never the credentials. */
    String describe() {
        return health.broker();
    }

    private Mqtt3AsyncClient client() {
        return client;
    }

    private void lost(MqttClientDisconnectedContext context) {
        MqttClientReconnector reconnector = context.getReconnector();
        if (closing) {
            reconnector.reconnect(false);
            return;
        }
        if (context.getSource() == MqttDisconnectSource.USER) {
            return; // our own disconnect at stop
        }
        String reason = reason(context.getCause());
        health.down(reason);
        if (!down) {
            down = true;
            LOG.warn("MQTT: no connection to {} ({}); retrying with backoff, the sync goes on", describe(), reason);
        } else {
            LOG.debug("MQTT: still no connection to {} ({})", describe(), reason);
        }
        if (reconnector.isReconnect()) {
            // HiveMQ's backoff first, then this gate (already open by then, unless we closed meanwhile).
            CompletableFuture<Void> gate = new CompletableFuture<>();
            reconnectGate = gate;
            long backoff = reconnector.getDelay(TimeUnit.NANOSECONDS);
            try {
                executor.schedule(() -> gate.complete(null), backoff, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                gate.complete(null); // the bridge stopped: closing, called off below
            }
            if (closing) {
                gate.complete(null);
            }
            reconnector.reconnectWhen(gate, (ignored, error) -> {
                if (closing) {
                    reconnector.reconnect(false);
                }
            });
        }
    }

    /** The innermost message: "Connection refused", "CONNACK ... BAD_USER_NAME_OR_PASSWORD", without a stack trace. */
    private static String reason(Throwable cause) {
        Throwable inner = cause;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        String message = inner.getMessage() != null ? inner.getMessage() : cause.getMessage();
        return message != null ? message : inner.getClass().getSimpleName();
    }
}
