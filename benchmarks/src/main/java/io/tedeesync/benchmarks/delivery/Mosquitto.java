package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.scale.Child;
import io.tedeesync.benchmarks.scale.SimulatorProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's mosquitto, started by the rig on a free port of 127.0.0.1 with {@code mosquitto.conf} in the run's
 * directory: anonymous, no persistence, and no limit on queued or in-flight messages, so that the broker never
 * drops what the service published (a dropped message would read as the service's loss). Output to
 * {@code mosquitto.log}. {@link #close()} stops it.
 */
final class Mosquitto implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Child process;
    private final int port;

    private Mosquitto(Child process, int port) {
        this.process = process;
        this.port = port;
    }

    static Mosquitto start(Path executable, Path work) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("no mosquitto at " + executable + " (apt-get install -y mosquitto mosquitto-clients, or --mosquitto PATH)");
        }
        int port = SimulatorProcess.freePort();
        Path config = work.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 0",
                "max_inflight_messages 0",
                "log_dest stdout",
                ""));
        Child process = Child.start("mosquitto", List.of(executable.toString(), "-c", config.toString()), work, Map.of());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!listening(port)) {
            if (!process.alive()) {
                throw new IllegalStateException("mosquitto exited (" + process.exitCode() + "):\n" + process.tail(20));
            }
            if (System.nanoTime() > deadline) {
                process.close();
                throw new IllegalStateException("mosquitto did not listen on " + port + " within " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
        return new Mosquitto(process, port);
    }

    int port() {
        return port;
    }

    URI url() {
        return URI.create("tcp://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
