package io.tedeesync.cli;

import io.tedeesync.simulator.TedeeSimulator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tedee-sync simulator}: a fake Tedee cloud on this machine, until stopped (Ctrl-C, SIGTERM: exit 0). */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = "Run the Tedee cloud simulator alone, with one account and a few locks, until Ctrl-C.")
final class SimulatorCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "8081", description = "Port on 127.0.0.1 (0 picks a free one; default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--locks", defaultValue = "4", description = "Number of locks on the account (default: ${DEFAULT-VALUE}).")
    private int locks;

    @Option(names = "--key", defaultValue = "simulator-key", description = "Personal access key the account accepts (default: ${DEFAULT-VALUE}).")
    private String key;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulator's randomness: same seed, same run (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--activity", paramLabel = "DURATION", defaultValue = "2m",
            description = "Mean time between manual changes of each lock (0 turns them off; default: ${DEFAULT-VALUE}).")
    private Duration activity;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, was " + port);
        }
        if (locks < 0 || locks > 10_000) {
            throw new UsageException("--locks must be between 0 and 10000, was " + locks);
        }
        if (key.isBlank()) {
            throw new UsageException("--key must not be empty");
        }
        if (activity.isNegative()) {
            throw new UsageException("--activity must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        TedeeSimulator simulator = TedeeSimulator.demo(locks, key, seed);
        try {
            simulator.start(port);
            if (!activity.isZero()) {
                simulator.randomActivity(activity);
            }
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        out.println("Tedee cloud simulator listening on " + simulator.baseUrl()
                + " with " + locks + (locks == 1 ? " lock" : " locks") + ".");
        out.println("Personal access key: " + key + "   (a simulator key, not a secret)");
        out.println("Try:   tedee-sync locks --api-url " + simulator.baseUrl() + " --personal-key " + key);
        out.println("Drive it: curl -X POST " + simulator.baseUrl() + "/_sim/locks/<serial>/state?code=6   (see GET /_sim/locks)");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        Foreground.runUntilStopped(simulator);
        return 0;
    }
}
