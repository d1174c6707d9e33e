package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.simulator.TedeeSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tedee-sync accounts list|add|remove} against a running {@code serve} started with only an admin token. */
class AccountsCommandTest {
    private static final String ADMIN = "cli-admin-token-4b7e";
    private static final Map<String, String> KEYS = Map.of("TEDEE_SYNC_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

    @TempDir
    Path dir;
    private TedeeSimulator simulator;
    private Thread serving;
    private String url;

    @BeforeEach
    void serve() {
        simulator = TedeeSimulator.builder().build();
        simulator.addAccount("office", "office-key");
        simulator.addLock("office", "OF-1", "Office front");
        simulator.addLock("office", "OF-2", "Office back");
        simulator.start(0);
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        serving = new Thread(() -> exit.set(TedeeSyncCommand.execute(new String[] {"serve", "--admin-token", ADMIN,
                "--api-url", simulator.baseUrl().toString(), "--data", dir.toString(), "--port", "0"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), KEYS)));
        serving.start();
        Pattern serving = Pattern.compile("serving on (http://\\S+) \\(0 accounts\\)");
        await().atMost(Duration.ofSeconds(20)).until(() -> serving.matcher(out.toString()).find());
        Matcher matcher = serving.matcher(out.toString());
        assertThat(matcher.find()).isTrue();
        url = matcher.group(1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        serving.interrupt();
        serving.join(20_000);
        simulator.close();
    }

    private CommandRun accounts(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "accounts";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--url";
        all[args.length + 2] = url;
        return CommandRun.of(Map.of("TEDEE_ADMIN_TOKEN", ADMIN), all);
    }

    @Test
    void addListAndRemoveAnAccount() {
        CommandRun added = accounts("add", "office", "--personal-key", "office-key", "--sync-interval", "30s");

        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("account office added: 2 lock(s)");
        CommandRun listed = accounts("list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("NAME").contains("FORECAST/H").containsPattern("office\\s+api\\s+personalKey")
                .contains("30s").contains("1 account");
        assertThat(listed.out()).doesNotContain("office-key");
        CommandRun json = accounts("list", "--json");
        assertThat(json.out()).contains("\"name\" : \"office\"").contains("\"forecastRequestsPerHour\" : 120");
        CommandRun removed = accounts("remove", "office", "--purge");
        assertThat(removed.exitCode()).isZero();
        assertThat(removed.out()).contains("account office removed with its locks and events");
        assertThat(accounts("list").out()).contains("No accounts yet");
    }

    @Test
    void theServicesRefusalsEndWithItsMessageAndAnExitCode() {
        accounts("add", "office", "--personal-key", "office-key");

        CommandRun taken = accounts("add", "office", "--personal-key", "office-key");
        CommandRun refused = accounts("add", "other", "--personal-key", "not-a-key");
        CommandRun badName = accounts("add", "a b", "--personal-key", "office-key");
        CommandRun unknown = accounts("remove", "nobody");

        assertThat(taken.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_FAILURE);
        assertThat(taken.err()).contains("exists").contains("HTTP 409");
        assertThat(refused.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_AUTHENTICATION);
        assertThat(refused.err()).contains("refused").doesNotContain("not-a-key");
        assertThat(badName.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(unknown.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_FAILURE);
        assertThat(unknown.err()).contains("no account nobody");
    }

    @Test
    void aMissingOrWrongAdminTokenAndAnUnreachableServiceAreClear() throws Exception {
        CommandRun none = CommandRun.of("accounts", "list", "--url", url);
        CommandRun wrong = CommandRun.of("accounts", "list", "--url", url, "--admin-token", "wrong");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CommandRun down = CommandRun.of(Map.of("TEDEE_ADMIN_TOKEN", ADMIN), "accounts", "list", "--url", "http://127.0.0.1:" + closed);

        assertThat(none.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(none.err()).contains("--admin-token").contains("TEDEE_ADMIN_TOKEN");
        assertThat(wrong.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_AUTHENTICATION);
        assertThat(wrong.err()).contains("admin token").contains("HTTP 401");
        assertThat(down.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_UNREACHABLE);
        assertThat(down.err()).contains("cannot reach the service");
    }

    @Test
    void addWithoutCredentialsIsAUsageError() {
        CommandRun run = accounts("add", "office");

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--personal-key").contains("--refresh-token");
    }
}
