package io.tedeesync.benchmarks.delivery;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The MQTT consumer: a HiveMQ client (MQTT 3.1.1) subscribed to {@code <prefix>/+/state} at QoS 1, each message
 * timed on arrival ({@link System#nanoTime()} in the client's callback) and handed to the {@link ChangeLedger}.
 * Thread-safe.
 */
final class StateSubscriber implements AutoCloseable {
    private final Mqtt3AsyncClient client;
    private final String prefix;
    private final ChangeLedger ledger;
    private final LongAdder messages = new LongAdder();
    private final LongAdder inWindow = new LongAdder();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    private StateSubscriber(Mqtt3AsyncClient client, String prefix, ChangeLedger ledger) {
        this.client = client;
        this.prefix = prefix;
        this.ledger = ledger;
    }

    static StateSubscriber connect(Mosquitto broker, String prefix, ChangeLedger ledger) throws Exception {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier("delivery-bench-subscriber")
                .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
        client.connectWith().cleanSession(true).send().get(10, TimeUnit.SECONDS);
        StateSubscriber subscriber = new StateSubscriber(client, prefix, ledger);
        client.subscribeWith().topicFilter(prefix + "/+/state").qos(MqttQos.AT_LEAST_ONCE).callback(subscriber::arrived).send()
                .get(10, TimeUnit.SECONDS);
        return subscriber;
    }

    void window(long start, long end) {
        this.windowStart = start;
        this.windowEnd = end;
    }

    private void arrived(Mqtt3Publish message) {
        long arrived = System.nanoTime();
        messages.increment();
        if (arrived - windowStart >= 0 && arrived - windowEnd < 0) {
            inWindow.increment();
        }
        String topic = message.getTopic().toString();
        String serial = topic.substring(prefix.length() + 1, topic.length() - "/state".length());
        ledger.published(serial, new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8), arrived);
    }

    long messages() {
        return messages.sum();
    }

    long inWindow() {
        return inWindow.sum();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the broker is stopped next anyway
        }
    }
}
