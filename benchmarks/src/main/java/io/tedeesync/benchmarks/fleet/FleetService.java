package io.tedeesync.benchmarks.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.benchmarks.scale.Child;
import io.tedeesync.benchmarks.scale.RawHttp;
import io.tedeesync.benchmarks.scale.SimulatorProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service under test as an operator runs it: {@code java [opts] -jar tedee-sync.jar serve --accounts FILE
 * --api-url SIM --port P} with {@code --data DIR} (SQLite) or {@code --database URL --database-user postgres}
 * (PostgreSQL), then {@code --serve-args}; by default the sync interval (20 s), retention (30 d) and log level
 * are serve's own, and there is no API token (the API is
 * open on 127.0.0.1, so the rig's requests carry no {@code Authorization}). Output to {@code serve-DB.log},
 * the command in {@code serve-DB.command}. Not thread-safe.
 */
final class FleetService implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Child process;
    private final InetSocketAddress address;

    private FleetService(Child process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** @param store {@code --data DIR} or {@code --database URL --database-user USER} */
    static FleetService start(FleetOptions options, Path work, String database, Path accountsFile, URI simulator, List<String> store)
            throws IOException {
        int port = SimulatorProcess.freePort();
        List<String> command = new ArrayList<>();
        command.add(SimulatorProcess.javaExecutable());
        command.addAll(options.serveJavaOptions());
        command.addAll(List.of("-jar", options.jar().toAbsolutePath().toString(), "serve", "--accounts", accountsFile.toString(),
                "--api-url", simulator.toString(), "--port", Integer.toString(port)));
        command.addAll(store);
        command.addAll(options.serveArguments());
        Files.writeString(work.resolve("serve-" + database + ".command"), String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        return new FleetService(Child.start("serve-" + database, command, work, Map.of()), new InetSocketAddress("127.0.0.1", port));
    }

    long pid() {
        return process.pid();
    }

    InetSocketAddress address() {
        return address;
    }

    boolean alive() {
        return process.alive();
    }

    String tail(int lines) {
        return process.tail(lines);
    }

    /** Asks {@code GET /api/locks} every 500 ms until it lists {@code locks}; returns the seconds from the start. */
    double awaitLoaded(int locks, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int listed = -1;
        try (RawHttp http = new RawHttp(address, false)) {
            while (System.nanoTime() < deadline) {
                if (!process.alive()) {
                    throw new IllegalStateException("serve exited (" + process.exitCode() + "):\n" + process.tail(30));
                }
                try {
                    RawHttp.Answer answer = http.get("/api/locks", Map.of(), true);
                    if (answer.status() == 200) {
                        JsonNode list = JSON.readTree(answer.body());
                        listed = list.isArray() ? list.size() : -1;
                        if (listed == locks) {
                            return (System.nanoTime() - process.startedNanos()) / 1e9;
                        }
                    }
                } catch (IOException e) {
                    http.close(); // not listening yet
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("serve listed " + listed + " of " + locks + " locks after " + timeout.toSeconds() + " s:\n"
                + process.tail(30));
    }

    /** SIGTERM, as {@code serve} is stopped; waits for it. */
    @Override
    public void close() {
        process.close();
    }
}
