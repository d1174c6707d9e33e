package io.tedeesync.mqtt;

import static org.awaitility.Awaitility.await;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.client.Credentials;
import io.tedeesync.server.ServiceSettings;
import io.tedeesync.server.TedeeSyncService;
import io.tedeesync.simulator.SimLock;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The simulator, a real mosquitto and the real service publishing to it ({@link TedeeSyncService} with
 * {@code --mqtt-url}), the simulator sending its webhooks to the service so that a change reaches the engine at
 * once. Locks are set up before {@link #start}, which waits until the engine holds every one. Not thread-safe.
 */
final class MqttBed implements AutoCloseable {
    static final String KEY = "mqtt-bed-personal-key-81f3";
    static final String WEBHOOK_SECRET = "mqtt-bed-webhook-secret-c2d9";
    static final String PREFIX = MqttSettings.DEFAULT_TOPIC_PREFIX;

    final TedeeSimulator simulator = TedeeSimulator.builder().operationDelay(Duration.ofMillis(300)).build();
    final MosquittoBroker broker;
    private final Path data;
    private final List<String> serials = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    TedeeSyncService service;
    private Clock clock = Clock.systemUTC();
    private Duration syncInterval = Duration.ofSeconds(20);
    private UnaryOperator<MqttSettings> tweak = settings -> settings;

    MqttBed(Path dir, MosquittoBroker broker) {
        this.data = dir.resolve("data");
        this.broker = broker;
        simulator.addAccount("home", KEY);
    }

    /** A Lock PRO in this raw Tedee state. */
    MqttBed lock(String serial, String name, int stateCode) {
        simulator.addLock("home", serial, name);
        simulator.setLockState(serial, stateCode);
        serials.add(serial);
        return this;
    }

    /** The service's clock (a {@code ShiftedClock} moves it on) and its polling interval, for what only time changes. */
    MqttBed clock(Clock serviceClock, Duration interval) {
        this.clock = serviceClock;
        this.syncInterval = interval;
        return this;
    }

    MqttBed start(UnaryOperator<MqttSettings> settingsTweak) {
        this.tweak = settingsTweak;
        simulator.start(0);
        return startService();
    }

    /** The service again on the same data directory (its store knows the locks); the simulator keeps running. */
    MqttBed restartService() {
        stopService();
        return startService();
    }

    /** Every lock looked at again this often (10 s in production): what waits for a recheck does not wait long. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private MqttBed startService() {
        ServiceSettings settings = new ServiceSettings(
                List.of(new AccountSpec("home", simulator.baseUrl(), "v37", Credentials.personalKey(KEY), null, null)),
                syncInterval, "127.0.0.1", 0, data, null, null, null, WEBHOOK_SECRET, null, true, Duration.ofDays(30))
                .withMqtt(tweak.apply(MqttSettings.of(broker.url()).withRecheckEvery(RECHECK)));
        service = TedeeSyncService.start(settings, clock);
        simulator.registerWebhook(URI.create("http://127.0.0.1:" + service.port() + "/webhooks/tedee/" + WEBHOOK_SECRET));
        List<String> present = simulator.locks().stream().filter(SimLock::present).map(SimLock::serialNumber).filter(serials::contains).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> present.stream().allMatch(serial -> service.engine().lock(serial).isPresent()));
        return this;
    }

    MqttBed start() {
        return start(settings -> settings);
    }

    static String topic(String serial, String leaf) {
        return PREFIX + "/" + serial + "/" + leaf;
    }

    /** Syncs the lock now through the HTTP API, waiting out the 10 s floor if needed. */
    void syncNow(String serial) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                    + "/api/locks/" + serial + "/sync")).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 || response.statusCode() == 404;
        });
    }

    /** A GET on the service's HTTP API: the body, whatever the status. */
    String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    @Override
    public void close() {
        stopService();
        simulator.close();
    }
}
