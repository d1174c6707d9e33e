package io.tedeesync.benchmarks.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the rig started (the simulator, the service): its output and errors go to one log file in
 * the run's directory; {@link #close()} sends SIGTERM, waits, and kills it if it does not stop.
 * Thread-safe.
 */
public final class Child implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;
    private final long startedNanos;

    private Child(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** Starts the command with the extra environment; its stdin stays an open pipe until {@link #close()}. */
    public static Child start(String name, List<String> command, Path directory, Map<String, String> environment) throws IOException {
        Path log = directory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        Child child = new Child(name, process, log, started);
        Runtime.getRuntime().addShutdownHook(new Thread(child::kill, "scale-stop-" + name));
        return child;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the process was started. */
    public long startedNanos() {
        return startedNanos;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** The last lines of its log, for a report of why it died. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, up to 30 s for a clean stop, then SIGKILL; returns the exit code. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it may be gone already
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL (kill -9) at once, as a crash would; waits up to 10 s for it to be gone. */
    void killNow() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
