package io.tedeesync.mqtt;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test's own MQTT client (HiveMQ, another connection than the service's) subscribed to a filter: it keeps every
 * message it got, in order, and the last payload per topic. {@link #retainedNow} answers what the broker retains at
 * this moment, absence included. Thread-safe.
 */
public final class TopicWatcher implements AutoCloseable {
    /** One message as received; {@code retained}: sent because of the subscription, from the broker's store. */
    public record Message(String topic, String payload, boolean retained) {
    }

    private final Mqtt3BlockingClient client;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    private TopicWatcher(Mqtt3BlockingClient client) {
        this.client = client;
    }

    public static TopicWatcher watch(URI broker, String filter) {
        return watch(broker, filter, null, null);
    }

    /** Connected and subscribed when it returns; {@code user} null for anonymous. */
    public static TopicWatcher watch(URI broker, String filter, String user, String password) {
        TopicWatcher watcher = new TopicWatcher(connect(broker, user, password));
        watcher.client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> watcher.messages.add(new Message(publish.getTopic().toString(),
                        new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8), publish.isRetain())))
                .send().join();
        return watcher;
    }

    /**
     * What the broker retains now under {@code filter}, topic to payload: a new connection subscribes to it, then to a
     * marker it retained just before; the broker sends the retained messages of the first subscription before those of
     * the second, so once the marker is in, the answer is complete.
     */
    public static Map<String, String> retainedNow(URI broker, String filter) {
        return retainedNow(broker, filter, null, null);
    }

    /** As {@link #retainedNow(URI, String)}, as this user ({@code user} null: anonymous). */
    public static Map<String, String> retainedNow(URI broker, String filter, String user, String password) {
        String marker = "test-marker/" + UUID.randomUUID();
        Map<String, String> retained = new ConcurrentHashMap<>();
        AtomicBoolean markerIn = new AtomicBoolean();
        Mqtt3BlockingClient client = connect(broker, user, password);
        try {
            client.publishWith().topic(marker).payload(new byte[] {1}).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
            client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                    .callback(publish -> retained.put(publish.getTopic().toString(), new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().join();
            client.toAsync().subscribeWith().topicFilter(marker).qos(MqttQos.AT_LEAST_ONCE).callback(publish -> markerIn.set(true)).send().join();
            await().atMost(Duration.ofSeconds(10)).untilTrue(markerIn);
            client.publishWith().topic(marker).payload(new byte[0]).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
            return Map.copyOf(retained);
        } finally {
            client.disconnect();
        }
    }

    /** Publishes as any other client would (not retained unless asked). */
    public void publish(String topic, String payload, boolean retain) {
        client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).retain(retain).send();
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Every payload received on the topic, in order. */
    public List<String> payloads(String topic) {
        return messages.stream().filter(message -> message.topic().equals(topic)).map(Message::payload).toList();
    }

    /** The last payload received on the topic, or null. */
    public String last(String topic) {
        List<String> all = payloads(topic);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Waits until the last payload on the topic is this one. */
    public void awaitLast(String topic, String payload) {
        await().atMost(Duration.ofSeconds(30)).until(() -> payload.equals(last(topic)));
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (RuntimeException e) {
            // the broker is gone already
        }
    }

    private static Mqtt3BlockingClient connect(URI broker, String user, String password) {
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3().identifier("test-" + UUID.randomUUID())
                .serverHost(broker.getHost()).serverPort(broker.getPort());
        if (user != null) {
            builder = builder.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        Mqtt3BlockingClient client = builder.buildBlocking();
        client.connect();
        return client;
    }
}
