package io.tedeesync.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code tedee-sync} command as a real child JVM ({@code java -cp <the test classpath>
 * io.tedeesync.cli.TedeeSyncCommand ...}), for what only a process shows: its log as configured by the
 * production logging set-up, its exit status after a signal, what survives {@code kill -9}. Collects
 * stdout and stderr as they come. Not thread-safe beyond reading the output.
 */
final class TedeeSyncProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Pattern SERVING = Pattern.compile("serving on (http://[^\\s]+:\\d+)");

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private TedeeSyncProcess(Process process) {
        this.process = process;
        stdoutReader = collect(process.getInputStream(), stdout, "stdout");
        stderrReader = collect(process.getErrorStream(), stderr, "stderr");
    }

    /**
     * Starts {@code tedee-sync args...} with only {@code environment} of the {@code TEDEE_*} variables (none
     * leaks in from the shell that runs the tests), in {@code workingDirectory}.
     */
    static TedeeSyncProcess start(Path workingDirectory, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a child JVM that starts fast on a small, busy machine
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", mainClasspath(), TedeeSyncCommand.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TEDEE_"));
        builder.environment().putAll(environment);
        try {
            return new TedeeSyncProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test JVM's classpath without test classes, so that the child configures logging as in
     * production whatever test resources come to exist.
     */
    private static String mainClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Thread collect(InputStream stream, StringBuffer into, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException closed) {
                // the process is gone
            }
        }, "tedee-sync-process-" + name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Waits until stdout matches {@code pattern} and returns its first group; fails early if the process ends. */
    String awaitStdout(Pattern pattern) {
        awaitOutput("stdout to match " + pattern, () -> pattern.matcher(stdout).find());
        Matcher matcher = pattern.matcher(stdout);
        matcher.find();
        return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
    }

    /** For {@code serve}: waits for its "serving on" line and returns the base URL. */
    URI awaitServing() {
        return URI.create(awaitStdout(SERVING));
    }

    void awaitStderr(String text) {
        awaitOutput("stderr to contain '" + text + "'", () -> stderr.indexOf(text) >= 0);
    }

    private void awaitOutput(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(STARTUP).failFast("the process ended", () -> !process.isAlive()).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("waited for " + what + ": " + e.getMessage() + "\n" + this, e);
        }
    }

    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        return stderr.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM (on Linux), then the exit status once it has ended and all its output is read. Through the
     * {@link ProcessHandle}: {@link Process#destroy()} sends the same signal but also closes our ends of
     * its pipes, so whatever it writes while stopping ("stopped") would be lost.
     */
    int terminate() {
        process.toHandle().destroy();
        return awaitExit();
    }

    /** SIGKILL (on Linux): no shutdown hook, no last write. Returns once it is gone. */
    void kill() {
        process.toHandle().destroyForcibly();
        awaitExit();
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the process did not end within 30 s: " + this);
            }
            stdoutReader.join(5_000);
            stderrReader.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Everything it printed, for assertion messages. */
    @Override
    public String toString() {
        return "tedee-sync process " + process.pid() + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
    }
}
