package io.tedeesync.cli;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.TedeeConnectionException;
import io.tedeesync.client.TedeeException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tedee-sync} command. Tests drive it through {@link #execute(String[], PrintWriter, PrintWriter, Map)};
 * only {@link #main} exits the JVM.
 *
 * <p>Exit codes: 0 success, 1 failure, 2 bad usage (flags, configuration), 3 credentials refused,
 * 4 API unreachable or timing out.
 */
@Command(
        name = "tedee-sync",
        mixinStandardHelpOptions = true,
        versionProvider = TedeeSyncCommand.Version.class,
        description = "Keeps a trustworthy, always-current copy of Tedee smart locks.",
        subcommands = {DemoCommand.class, ServeCommand.class, WatchCommand.class, LocksCommand.class, AccountsCommand.class, SimulatorCommand.class,
            CommandLine.HelpCommand.class})
public final class TedeeSyncCommand implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_AUTHENTICATION = 3;
    public static final int EXIT_UNREACHABLE = 4;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;

    TedeeSyncCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The process environment as the commands see it (injected so tests need not set real variables). */
    Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        sharedPoolForAnswers();
        WarmUp.startFor(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(args, out, err, System.getenv()));
    }

    /**
     * JDK 17's HttpClient hands every answer of {@code sendAsync} to CompletableFuture's default executor,
     * which on a machine of 2 cores or fewer is a new thread per answer (500 a second at 10,000 accounts).
     * A common pool of 2 makes it a pool; must run before anything touches the common pool.
     */
    private static void sharedPoolForAnswers() {
        String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(parallelism) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(parallelism, "2");
        }
    }

    /** Runs the command line and returns the exit code; never exits the JVM and never prints a stack trace for expected failures. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new TedeeSyncCommand(Objects.requireNonNull(environment, "environment")))
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(TedeeSyncCommand::badUsage)
                .setExecutionExceptionHandler((error, failed, parsed) -> failure(error, failed));
        commandLine.registerConverter(java.time.Duration.class, new DurationConverter());
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int badUsage(CommandLine.ParameterException error, String[] args) {
        CommandLine failed = error.getCommandLine();
        failed.getErr().println("tedee-sync: " + error.getMessage()
                + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
        return EXIT_USAGE;
    }

    private static int failure(Exception error, CommandLine failed) {
        PrintWriter err = failed.getErr();
        if (error instanceof UsageException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_USAGE;
        }
        if (error instanceof AuthenticationException) {
            err.println("tedee-sync: the Tedee API refused the credentials (HTTP " + ((TedeeException) error).statusCode()
                    + "); check the personal access key or token");
            return EXIT_AUTHENTICATION;
        }
        if (error instanceof TedeeConnectionException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_UNREACHABLE;
        }
        if (error instanceof AccountsCommand.ServiceRefusal refusal) {
            err.println("tedee-sync: " + error.getMessage());
            return refusal.exitCode;
        }
        if (error instanceof io.tedeesync.server.ConfigurationException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_USAGE;
        }
        if (error instanceof io.tedeesync.accounts.CredentialCipher.WrongKeyException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_FAILURE;
        }
        if (error instanceof io.tedeesync.store.StoreException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_FAILURE;
        }
        if (error instanceof java.io.UncheckedIOException || error instanceof java.io.IOException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_FAILURE;
        }
        if (error instanceof TedeeException) {
            err.println("tedee-sync: " + error.getMessage());
            return EXIT_FAILURE;
        }
        err.println("tedee-sync: unexpected error: " + error);
        return EXIT_FAILURE;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TedeeSyncCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tedee-sync " + (version == null ? "dev" : version)};
        }
    }
}
