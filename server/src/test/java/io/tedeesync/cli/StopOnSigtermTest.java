package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.simulator.TedeeSimulator;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.sync.MirroredLock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what systemd and {@code kill} send; {@link Process#destroy()} on Linux) is a clean stop with
 * exit status 0 for every command that runs until stopped. It used to end them with 143, which a service
 * manager records as a failure.
 */
class StopOnSigtermTest {
    private static final String KEY = "sigterm-test-key";

    @TempDir
    Path dir;

    private TedeeSimulator simulator;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void simulator() {
        simulator = TedeeSimulator.builder().build();
        simulator.addAccount("home", KEY);
        simulator.addLock("home", "TERM-1", "Front door");
        simulator.addLock("home", "TERM-2", "Back door");
        simulator.start(0);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void sigtermStopsServeCleanlyWithExitStatusZeroAndTheStoreIntact() throws Exception {
        Path data = dir.resolve("data");
        try (TedeeSyncProcess serve = TedeeSyncProcess.start(dir, Map.of("TEDEE_PERSONAL_KEY", KEY),
                "serve", "--api-url", simulator.baseUrl().toString(), "--port", "0", "--data", data.toString())) {
            URI url = serve.awaitServing();
            serve.awaitStderr("2 lock(s) mirrored");
            assertThat(get(url.resolve("/api/locks"))).contains("TERM-2");

            int exit = serve.terminate();

            assertThat(exit).as(serve.toString()).isZero();
            assertThat(serve.stderr()).as(serve.toString()).contains("stopped");
        }
        try (LockStore store = LockStore.open(StoreConfig.sqlite(data))) {
            assertThat(store.loadLocks().get("default")).extracting(MirroredLock::serialNumber)
                    .containsExactlyInAnyOrder("TERM-1", "TERM-2");
        }
    }

    @Test
    void sigtermStopsWatchWithExitStatusZero() {
        try (TedeeSyncProcess watch = TedeeSyncProcess.start(dir, Map.of("TEDEE_PERSONAL_KEY", KEY),
                "watch", "--api-url", simulator.baseUrl().toString())) {
            watch.awaitStdout(Pattern.compile("TERM-2"));

            int exit = watch.terminate();

            assertThat(exit).as(watch.toString()).isZero();
        }
    }

    @Test
    void sigtermStopsTheDemoWithExitStatusZero() throws Exception {
        try (TedeeSyncProcess demo = TedeeSyncProcess.start(dir, Map.of(), "demo", "--port", "0", "--locks", "2", "--activity", "0")) {
            URI url = URI.create(demo.awaitStdout(Pattern.compile("served at (http://\\S+)")));
            assertThat(get(url.resolve("/api/events?limit=1"))).startsWith("[");

            int exit = demo.terminate();

            assertThat(exit).as(demo.toString()).isZero();
        }
    }

    @Test
    void sigtermStopsTheSimulatorWithExitStatusZero() throws Exception {
        try (TedeeSyncProcess alone = TedeeSyncProcess.start(dir, Map.of(),
                "simulator", "--port", "0", "--locks", "1", "--activity", "0")) {
            URI url = URI.create(alone.awaitStdout(Pattern.compile("listening on (http://\\S+)")));
            assertThat(get(URI.create(url + "/_sim/locks"))).contains("serialNumber");

            int exit = alone.terminate();

            assertThat(exit).as(alone.toString()).isZero();
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
