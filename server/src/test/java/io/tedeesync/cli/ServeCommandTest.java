package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.simulator.TedeeSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve, watch and the accounts file through {@code execute(args)}. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void signInNeedsTheAdminTokenWhichMustNotBeTheApiToken() {
        CommandRun signIn = CommandRun.of("serve", "--personal-key", "k", "--oauth-client-id", "c", "--data", dir.toString());
        CommandRun same = CommandRun.of("serve", "--personal-key", "k", "--admin-token", "t", "--api-token", "t", "--data", dir.toString());
        CommandRun orphan = CommandRun.of("serve", "--personal-key", "k", "--admin-token", "a", "--oauth-scopes", "x", "--data", dir.toString());

        assertThat(signIn.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(signIn.err()).contains("needs --admin-token");
        assertThat(same.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(same.err()).contains("must differ");
        assertThat(orphan.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(orphan.err()).contains("need --oauth-client-id");
    }

    @Test
    void storedAccountsWithAnotherKeyAreOneClearLineAtStart() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("office", "office-key");
            simulator.start(0);
            Path data = dir.resolve("data");
            io.tedeesync.store.LockStore store = io.tedeesync.store.LockStore.open(io.tedeesync.store.StoreConfig.sqlite(data));
            io.tedeesync.accounts.CredentialCipher first = new io.tedeesync.accounts.CredentialCipher(new byte[32], new java.security.SecureRandom());
            store.insertAccount(new io.tedeesync.store.StoredAccount("office", "personalKey", first.seal("office", simulator.baseUrl(), "{\"personalKey\":\"office-key\"}"),
                    simulator.baseUrl(), "v37", null, null, java.time.Instant.now(), java.time.Instant.now()));
            store.close();

            CommandRun run = CommandRun.of(Map.of("TEDEE_SYNC_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="), "serve",
                    "--admin-token", "a", "--data", data.toString(), "--port", "0");

            assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_FAILURE);
            assertThat(run.err().strip()).startsWith("tedee-sync: the stored credentials of account office were encrypted with key "
                    + first.keyId()).contains("TEDEE_SYNC_SECRET_KEY").doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    void syncIntervalBelowTenSecondsIsRefused() {
        CommandRun run = CommandRun.of("serve", "--personal-key", "k", "--sync-interval", "5s", "--data", dir.toString());

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(run.err()).contains("at least 10s");
    }

    @Test
    void aForeignDataFileIsAClearErrorAndIsLeftAlone() throws Exception {
        Path file = dir.resolve("tedee-sync.db");
        Files.writeString(file, "this is not a database, it is my shopping list");

        CommandRun run = CommandRun.of("serve", "--personal-key", "k", "--data", dir.toString(), "--port", "0");

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_FAILURE);
        assertThat(run.err().lines()).singleElement().asString().contains("not a tedee-sync database");
        assertThat(Files.readString(file)).isEqualTo("this is not a database, it is my shopping list");
    }

    @Test
    void accountsFileMistakesAreExplainedWithoutSecrets() throws Exception {
        Path twice = dir.resolve("twice.yml");
        Files.writeString(twice, "accounts:\n  - name: a\n    personalKey: secret-aaa\n  - name: a\n    personalKey: secret-bbb\n");
        Path typo = dir.resolve("typo.yml");
        Files.writeString(typo, "accounts:\n  - name: a\n    personalKee: secret-ccc\n");
        Path both = dir.resolve("both.json");
        Files.writeString(both, "{\"accounts\":[{\"name\":\"a\",\"personalKey\":\"secret-ddd\",\"accessToken\":\"secret-eee\"}]}");
        Path fast = dir.resolve("fast.yml");
        Files.writeString(fast, "accounts:\n  - name: a\n    personalKey: secret-fff\n    syncInterval: 2s\n");

        for (Path file : new Path[] {twice, typo, both, fast}) {
            CommandRun run = CommandRun.of("serve", "--accounts", file.toString(), "--data", dir.toString(), "--port", "0");
            assertThat(run.exitCode()).as(file.toString()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
            assertThat(run.err()).doesNotContain("secret-");
        }
        assertThat(CommandRun.of("serve", "--accounts", typo.toString()).err()).contains("personalKee");
    }

    @Test
    void serveRunsSeveralAccountsFromAFileUntilInterrupted() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("alice", "key-alice");
            simulator.addAccount("bob", "key-bob");
            simulator.addLock("alice", "A-1", "Alice door");
            simulator.addLock("bob", "B-1", "Bob door");
            simulator.start(0);
            Path accounts = dir.resolve("accounts.yml");
            Files.writeString(accounts, "accounts:\n  - name: alice\n    personalKey: key-alice\n  - name: bob\n    personalKeyEnv: BOB_KEY\n    syncInterval: 30s\n");
            StringWriter out = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serving = new Thread(() -> exit.set(TedeeSyncCommand.execute(new String[] {"serve", "--accounts", accounts.toString(),
                    "--api-url", simulator.baseUrl().toString(), "--data", dir.resolve("data").toString(), "--port", "0"},
                    new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of("BOB_KEY", "key-bob"))));
            serving.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("serving on"));

            await().atMost(Duration.ofSeconds(20)).until(() -> simulator.requests().stream().filter(r -> r.status() == 200)
                    .map(r -> r.account()).distinct().count() == 2);

            serving.interrupt();
            serving.join(20_000);
            assertThat(serving.isAlive()).isFalse();
            assertThat(exit.get()).isZero();
        }
    }

    @Test
    void watchPrintsEachChangeAsOneLine() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", "key");
            simulator.addLock("home", "W-1", "Watched door");
            simulator.setLockState("W-1", 6);
            simulator.start(0);
            StringWriter out = new StringWriter();
            Thread watching = new Thread(() -> TedeeSyncCommand.execute(new String[] {"watch", "--api-url", simulator.baseUrl().toString(),
                    "--personal-key", "key", "--sync-interval", "10s"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of()));
            watching.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> out.toString().contains("W-1"));

            simulator.setLockState("W-1", 2);

            await().atMost(Duration.ofSeconds(25)).until(() -> out.toString().contains("LOCKED -> UNLOCKED"));
            assertThat(out.toString().lines().filter(l -> l.contains("LOCKED -> UNLOCKED")))
                    .singleElement().asString().contains("Watched door (W-1)");
            watching.interrupt();
            watching.join(20_000);
            assertThat(watching.isAlive()).isFalse();
        }
    }

    @Test
    void watchWithARefusedKeyEndsWithOneLineAndTheAuthenticationCode() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", "key");
            simulator.start(0);

            CommandRun run = CommandRun.of("watch", "--api-url", simulator.baseUrl().toString(), "--personal-key", "wrong-key-9f");

            assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_AUTHENTICATION);
            assertThat(run.err()).contains("401").doesNotContain("wrong-key-9f");
        }
    }

    @Test
    void aRotatedRefreshTokenIsKeptForTheNextStart() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", "key");
            simulator.addLock("home", "R-1", "Door");
            simulator.start(0);
            io.tedeesync.simulator.OAuthTokens tokens = simulator.issueTokens("home");
            Path accounts = dir.resolve("accounts.yml");
            Files.writeString(accounts, "accounts:\n  - name: home\n    refreshToken: " + tokens.refreshToken()
                    + "\n    tokenUrl: " + simulator.baseUrl() + "/oauth2/v2.0/token\n");
            java.nio.file.attribute.FileTime past = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000);
            Files.setLastModifiedTime(accounts, past);

            io.tedeesync.client.Credentials credentials = AccountsFile.read(accounts, simulator.baseUrl(), "v37", Map.of()).get(0).credentials();
            credentials.authorizationHeader(); // the first refresh; the simulator hands out a new refresh token

            Path kept = AccountsFile.rotatedTokenFile(accounts, "home");
            assertThat(kept).exists();
            assertThat(Files.readString(kept)).isNotBlank().isNotEqualTo(tokens.refreshToken());
            assertThat(java.nio.file.Files.getPosixFilePermissions(kept)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(AccountsFile.read(accounts, simulator.baseUrl(), "v37", Map.of()).get(0).credentials().authorizationHeader())
                    .startsWith("Bearer ");
        }
    }
}
