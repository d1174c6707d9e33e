package io.tedeesync.mqtt;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code mosquitto} (installed by {@code bin/test}) on a free loopback port, configured in a directory
 * of the test's: anonymous, or with a password file. {@link #kill} and {@link #start} again keep the port, for
 * broker-down-and-back tests. It keeps nothing across a restart (no persistence): whatever is retained after one was
 * published again. Not thread-safe.
 */
public final class MosquittoBroker implements AutoCloseable {
    /** Debian puts the daemon in /usr/sbin, which a non-root PATH often lacks. */
    private static final List<String> BINARIES = List.of("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto");

    private final Path dir;
    private final int port;
    private final Path config;
    private Process process;

    private MosquittoBroker(Path dir, int port, Path config) {
        this.dir = dir;
        this.port = port;
        this.config = config;
    }

    /** Anonymous clients allowed. Started. */
    public static MosquittoBroker anonymous(Path dir) {
        int port = freePort();
        return new MosquittoBroker(dir, port, write(dir, "listener " + port + " 127.0.0.1\nallow_anonymous true\n")).start();
    }

    /** Only this user, with this password (hashed into a password file by mosquitto_passwd). Started. */
    public static MosquittoBroker withUser(Path dir, String user, String password) {
        int port = freePort();
        Path passwords = dir.resolve("passwords");
        run(List.of(binary("mosquitto_passwd"), "-b", "-c", passwords.toString(), user, password));
        return new MosquittoBroker(dir, port, write(dir, "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file "
                + passwords + "\n")).start();
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("tcp://127.0.0.1:" + port);
    }

    /** Starts it (again, on the same port) and waits until it takes connections. */
    public MosquittoBroker start() {
        try {
            process = new ProcessBuilder(binary("mosquitto"), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start mosquitto (bin/test installs it: apt-get install mosquitto)", e);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(this::takesConnections);
        return this;
    }

    /** Kills it at once (SIGKILL): every client loses its connection without a goodbye. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** What it logged (connections, refusals), for a test that looks. */
    public String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        kill();
    }

    private boolean takesConnections() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("mosquitto ended: " + log());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary(String name) {
        for (String candidate : BINARIES) {
            Path path = Path.of(candidate).resolveSibling(name);
            if (Files.isExecutable(path)) {
                return path.toString();
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
                return Path.of(entry, name).toString();
            }
        }
        throw new IllegalStateException(name + " is missing: run bin/test (it installs mosquitto), or apt-get install mosquitto");
    }

    private static Path write(Path dir, String lines) {
        try {
            // As root, mosquitto would switch to the user "mosquitto", who cannot read a test's private directory.
            return Files.writeString(dir.resolve("mosquitto.conf"), lines + "user root\npersistence false\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
