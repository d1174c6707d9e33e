package io.tedeesync.mqtt;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What operators see of the broker connection: {@code /health}'s {@code mqtt} part (connected, since when, the broker,
 * the last error) and the metrics {@code tedee_sync_mqtt_connected}, {@code tedee_sync_mqtt_published_total} and
 * {@code tedee_sync_mqtt_publish_failures_total}. Made before the bridge (the HTTP API starts first), fed by it. The
 * broker is shown without credentials, and the password is cut out of any error text. Thread-safe.
 */
public final class MqttHealth {
    private final Clock clock;
    private final String broker;
    private final String password;
    private final LongAdder published = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean connected;
    private volatile Instant since;
    private volatile String lastError;

    private MqttHealth(MqttSettings settings, Clock clock) {
        this.clock = clock;
        this.broker = describe(settings);
        this.password = settings.password();
    }

    /** Its figures registered with the service's metrics. */
    public static MqttHealth register(MqttSettings settings, Clock clock, MeterRegistry registry) {
        MqttHealth health = new MqttHealth(settings, clock);
        Gauge.builder("tedee_sync_mqtt_connected", health, h -> h.connected ? 1 : 0)
                .description("1 while the service is connected to the MQTT broker").register(registry);
        FunctionCounter.builder("tedee_sync_mqtt_published", health.published, LongAdder::sum)
                .description("MQTT messages the broker acknowledged").register(registry);
        FunctionCounter.builder("tedee_sync_mqtt_publish_failures", health.failures, LongAdder::sum)
                .description("MQTT messages that could not be sent (the connection dropped); they are sent again").register(registry);
        return health;
    }

    /** The broker's address, never the credentials. */
    static String describe(MqttSettings settings) {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return (settings.tls() ? "ssl://" : "tcp://") + host + ":" + settings.port();
    }

    public boolean connected() {
        return connected;
    }

    /** When it last connected or lost the connection; null before the first attempt ended. */
    public Instant since() {
        return since;
    }

    public String broker() {
        return broker;
    }

    /** Why the last attempt failed or the connection was lost (no stack trace, no password); null if never. */
    public String lastError() {
        return lastError;
    }

    void up() {
        connected = true;
        since = clock.instant();
    }

    void down(String reason) {
        if (connected || since == null) {
            since = clock.instant(); // since the outage began, not since the last retry
        }
        connected = false;
        lastError = password == null || password.isEmpty() || reason == null ? reason : reason.replace(password, "***");
    }

    void published() {
        published.increment();
    }

    void publishFailed() {
        failures.increment();
    }
}
