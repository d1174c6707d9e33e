package io.tedeesync.benchmarks.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@link ScaleSimulator} in a JVM of its own from this jar and waits until it answers. Stateless. */
public final class SimulatorProcess {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private SimulatorProcess() {
    }

    /** @param classpath where {@link ScaleSimulator} and the simulator are: null for this jar, or another build's */
    static Child start(Path work, URI url, int accounts, int locksPerAccount, long seed, Duration activity,
            List<String> javaOptions, Path classpath, Probes probes, PrintStream progress) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", (classpath != null ? classpath.toAbsolutePath() : ownJar()).toString(), ScaleSimulator.class.getName(),
                "--accounts", Integer.toString(accounts), "--locks", Integer.toString(locksPerAccount),
                "--port", Integer.toString(url.getPort()), "--seed", Long.toString(seed),
                "--activity", Durations.format(activity)));
        Child simulator = Child.start("simulator", command, work, Map.of());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (probes.stats(url).isEmpty()) {
            if (!simulator.alive()) {
                throw new IllegalStateException("the simulator exited (" + simulator.exitCode() + "):\n" + simulator.tail(20));
            }
            if (System.nanoTime() > deadline) {
                simulator.close();
                throw new IllegalStateException("the simulator did not answer within " + TIMEOUT);
            }
            Thread.sleep(100);
        }
        progress.printf("scale: simulator ready on %s after %.1f s (pid %d)%n", url,
                (System.nanoTime() - simulator.startedNanos()) / 1e9, simulator.pid());
        return simulator;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static Path ownJar() {
        try {
            return Path.of(SimulatorProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
