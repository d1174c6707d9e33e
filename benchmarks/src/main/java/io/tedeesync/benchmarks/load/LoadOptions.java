package io.tedeesync.benchmarks.load;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.Locale;

/**
 * The command line of {@link WebhookLoad}: {@code --webhooks N --concurrency C --locks L --warmup W
 * --max-seconds S --log-level LEVEL --mode MODE --client CLIENT}. Immutable.
 *
 * @param webhooks    webhooks in the measured phase
 * @param concurrency requests in flight at any time (sender threads)
 * @param locks       locks on the simulated account
 * @param warmup      webhooks sent before measuring (same stream, not measured)
 * @param timeLimit   the measured phase stops after this even if not all webhooks were sent
 * @param logLevel    the root log level while the service runs; WARN is {@code serve}'s default
 * @param mode        which path the webhooks take
 * @param socketClient HTTP with {@link SocketClient} instead of the JDK {@code HttpClient}
 */
record LoadOptions(int webhooks, int concurrency, int locks, int warmup, Duration timeLimit, Level logLevel, Mode mode,
        boolean socketClient) {

    /** Which path the webhooks take; the modes besides {@code serve} take parts away to see what they cost. */
    enum Mode {
        /** HTTP POST to {@code /webhooks/tedee/{secret}}: the whole path, what the targets are about. */
        SERVE("serve"),
        /** Parse and {@code SyncEngine.acceptWebhook} in this JVM: the engine, the store and the listeners, no HTTP. */
        ENGINE("engine"),
        /** HTTP POST with a wrong secret: answered 404 by the route before parsing; the HTTP stack and client alone. */
        HTTP_404("http-404");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        static Mode of(String label) {
            for (Mode mode : values()) {
                if (mode.label.equals(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--mode must be serve, engine or http-404, got '" + label + "'");
        }
    }

    static final String USAGE = String.join("\n",
            "Usage: java -cp benchmarks/target/benchmarks.jar io.tedeesync.benchmarks.load.WebhookLoad [options]",
            "  --webhooks N     webhooks in the measured phase      (default 50000)",
            "  --concurrency C  requests in flight (sender threads)  (default 32)",
            "  --locks L        locks on the simulated account      (default 1000)",
            "  --warmup W       webhooks sent first, not measured   (default 50000)",
            "  --max-seconds S  stop the measured phase after S s   (default 120)",
            "  --log-level L    root log level: WARN (serve's default) or INFO (one line per change) (default WARN)",
            "  --mode M         serve: HTTP into the service (default); engine: parse + SyncEngine.acceptWebhook in",
            "                   this JVM, no HTTP; http-404: HTTP with a wrong secret, answered before parsing",
            "  --client C       jdk: java.net.http.HttpClient (default); socket: a minimal keep-alive HTTP/1.1 client",
            "                   that costs the shared cores less");

    LoadOptions {
        if (webhooks < 1 || concurrency < 1 || locks < 1 || warmup < 0) {
            throw new IllegalArgumentException("--webhooks, --concurrency and --locks must be at least 1, --warmup at least 0");
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("--max-seconds must be positive");
        }
    }

    /** Reads the arguments over the defaults; throws {@link IllegalArgumentException} with the reason. */
    static LoadOptions parse(String... args) {
        int webhooks = 50_000;
        int concurrency = 32;
        int locks = 1_000;
        // On 2 cores C2 compiles the request path (Jetty, Webhooks.parse, AccountWorker.absorb,
        // SnapshotTable.upsert) until some 35 s after the start: after 5,000 webhooks the rate still climbs
        // from ~1,200/s to ~3,300/s inside the measured window, after 30,000 it steps up 5 s in, after
        // 50,000 it is flat.
        int warmup = 50_000;
        long seconds = 120;
        Level level = Level.WARN;
        Mode mode = Mode.SERVE;
        boolean socket = false;
        for (int index = 0; index < args.length; index++) {
            String name = args[index];
            if (index + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            String value = args[++index];
            switch (name) {
                case "--webhooks" -> webhooks = number(name, value);
                case "--concurrency" -> concurrency = number(name, value);
                case "--locks" -> locks = number(name, value);
                case "--warmup" -> warmup = number(name, value);
                case "--max-seconds" -> seconds = number(name, value);
                case "--log-level" -> level = level(value);
                case "--mode" -> mode = Mode.of(value);
                case "--client" -> socket = client(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LoadOptions(webhooks, concurrency, locks, warmup, Duration.ofSeconds(seconds), level, mode, socket);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
        }
    }

    private static boolean client(String value) {
        return switch (value) {
            case "jdk" -> false;
            case "socket" -> true;
            default -> throw new IllegalArgumentException("--client must be jdk or socket, got '" + value + "'");
        };
    }

    private static Level level(String value) {
        Level level = Level.toLevel(value.toUpperCase(Locale.ROOT), null);
        if (level == null) {
            throw new IllegalArgumentException("--log-level must be TRACE, DEBUG, INFO, WARN or ERROR, got '" + value + "'");
        }
        return level;
    }
}
