package io.tedeesync.cli;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.client.Credentials;
import io.tedeesync.accounts.RuntimeAccountSettings;
import io.tedeesync.accounts.SignInSettings;
import io.tedeesync.server.ServiceSettings;
import io.tedeesync.server.TedeeSyncService;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tedee-sync demo}: the simulator with a handful of locks that change now and then (and send
 * webhooks), and {@code serve} against it with a throw-away data directory. Everything stays on 127.0.0.1.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Try tedee-sync without hardware: a simulated Tedee cloud and the service against it.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port of the service (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--locks", defaultValue = "5", description = "Simulated locks (default: ${DEFAULT-VALUE}).")
    private int locks;

    @Option(names = "--activity", paramLabel = "DURATION", defaultValue = "1m",
            description = "Mean time between manual changes of each lock (default: ${DEFAULT-VALUE}).")
    private Duration activity;

    @Override
    public Integer call() throws Exception {
        if (locks < 1 || locks > 500) {
            throw new UsageException("--locks must be between 1 and 500");
        }
        String key = "demo-" + random();
        String webhookSecret = random();
        String adminToken = random();
        Path data = Files.createTempDirectory("tedee-sync-demo-");
        TedeeSimulator simulator = TedeeSimulator.demo(locks, key, System.nanoTime());
        simulator.start(0);
        // A second simulated account, not mirrored yet: "Connect an account" in the dashboard signs in to it.
        simulator.addAccount("guest-house", "demo-" + random());
        simulator.addLock("guest-house", "GH-0001", "Guest house front door");
        simulator.addLock("guest-house", "GH-0002", "Guest house garage");
        TedeeSyncService service;
        try {
            ServiceSettings settings = new ServiceSettings(
                    List.of(new AccountSpec("demo", simulator.baseUrl(), "v37", Credentials.personalKey(key), null, null)),
                    Duration.ofSeconds(20), "127.0.0.1", port, data, null, null, null, webhookSecret, null, true, Duration.ofDays(30))
                    // The accounts view and sign-in with the simulated Tedee, to try both.
                    .withRuntimeAccounts(new RuntimeAccountSettings(adminToken, null, new SignInSettings("tedee-sync-demo", null,
                            simulator.authorizeUrl(), simulator.tokenUrl(), SignInSettings.DEFAULT_SCOPES, null))
                            .withApi(simulator.baseUrl(), "v37", AccountSpec.DEFAULT_REQUEST_TIMEOUT));
            service = TedeeSyncService.start(settings, Clock.systemUTC());
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        simulator.registerWebhook(URI.create("http://127.0.0.1:" + service.port() + "/webhooks/tedee/" + webhookSecret));
        if (!activity.isZero()) {
            simulator.randomActivity(activity);
        }
        String url = "http://127.0.0.1:" + service.port();
        PrintWriter out = spec.commandLine().getOut();
        out.println("tedee-sync demo: " + locks + " simulated locks, served at " + url);
        out.println("  simulated Tedee cloud: " + simulator.baseUrl() + "   data: " + data);
        out.println();
        out.println("Try:");
        out.println("  curl " + url + "/api/locks");
        out.println("  curl -N " + url + "/api/events/stream          # live changes (server-sent events)");
        out.println("  curl " + url + "/api/events?limit=20");
        out.println("  curl -X POST " + url + "/api/locks/<serialNumber>/operations/unlock");
        out.println("  curl -X POST " + url + "/api/locks/<serialNumber>/sync");
        out.println("  curl " + url + "/health    curl " + url + "/metrics");
        out.println("  curl -H 'Authorization: Bearer " + adminToken + "' " + url + "/api/accounts   # admin token of this demo:"
                + " the dashboard's Accounts view asks for it, to connect more simulated accounts");
        out.println("Locks change by themselves every ~" + activity.toSeconds() + " s and report by webhook. Ctrl-C stops.");
        out.flush();
        Foreground.runUntilStopped(() -> {
            service.close();
            simulator.close();
        });
        return 0;
    }

    private static String random() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
