package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.accounts.CredentialCipher;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/accounts} over real HTTP against the simulator, every route and status, on the store a
 * subclass picks (SQLite, PostgreSQL).
 */
abstract class AccountsApiContract {
    static final String ADMIN = "admin-token-9d1f4e";
    static final String READ = "read-token-77c0aa";
    static final String OFFICE_KEY = "office-personal-key-3a8b";
    static final String SECRET_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String[] AS_ADMIN = {"Authorization", "Bearer " + ADMIN};

    @TempDir
    Path data;
    ServiceHarness harness;

    /** Points the settings at this contract's store. */
    abstract ServiceSettings onStore(ServiceSettings settings);

    @BeforeEach
    void simulator() {
        harness = new ServiceHarness(data);
        harness.simulator.addAccount("office", OFFICE_KEY);
        harness.simulator.addLock("office", "OFF-00001", "Office front");
        harness.simulator.addLock("office", "OFF-00002", "Office back");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    ServiceHarness start(UnaryOperator<ServiceSettings> tweak) {
        return harness.start(settings -> tweak.apply(onStore(settings)));
    }

    ServiceHarness startWithAccountsApi() {
        return start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(ADMIN, SECRET_KEY, null)));
    }

    HttpResponse<String> addOffice() {
        return harness.post("/api/accounts", "{\"name\":\"office\",\"personalKey\":\"" + OFFICE_KEY + "\"}", AS_ADMIN);
    }

    String error(HttpResponse<String> response) {
        return harness.read(response).path("error").asText();
    }

    @Test
    void theAccountsApiIsOffWithoutAnAdminToken() {
        start(s -> s);

        assertThat(harness.get("/api/accounts").statusCode()).isEqualTo(403);
        HttpResponse<String> add = addOffice();
        assertThat(add.statusCode()).isEqualTo(403);
        assertThat(error(add)).isEqualTo("accounts_api_off");
        assertThat(harness.delete("/api/accounts/home", AS_ADMIN).statusCode()).isEqualTo(403);
    }

    @Test
    void withoutATokenIs401AndTheReadTokenMayOnlyRead() {
        start(s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), 0, s.dataDir(), s.databaseUrl(), s.databaseUser(),
                s.databasePassword(), s.webhookSecret(), READ, false, s.retention())
                .withRuntimeAccounts(harness.runtimeAccounts(ADMIN, SECRET_KEY, null)));
        String[] asReader = {"Authorization", "Bearer " + READ};

        assertThat(harness.get("/api/accounts").statusCode()).isEqualTo(401);
        assertThat(harness.get("/api/accounts", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(harness.get("/api/accounts", asReader).statusCode()).isEqualTo(200);
        assertThat(harness.post("/api/accounts", "{\"name\":\"office\",\"personalKey\":\"" + OFFICE_KEY + "\"}", asReader).statusCode())
                .isEqualTo(403);
        assertThat(harness.delete("/api/accounts/home", asReader).statusCode()).isEqualTo(403);
        assertThat(harness.patch("/api/accounts/home", "{\"syncInterval\":\"30s\"}", asReader).statusCode()).isEqualTo(403);
        assertThat(harness.get("/api/locks", AS_ADMIN).statusCode()).as("the admin token reads everything").isEqualTo(200);
        assertThat(harness.statusOf("/api/events/stream?access_token=" + READ, "Accept", "text/event-stream")).isEqualTo(200);
        assertThat(harness.statusOf("/api/events/stream?access_token=" + ADMIN, "Accept", "text/event-stream"))
                .as("the admin token never travels in a URL").isEqualTo(401);
        assertThat(harness.read(harness.get("/api/config", AS_ADMIN)).path("access").asText()).isEqualTo("admin");
        assertThat(harness.read(harness.get("/api/config", asReader)).path("access").asText()).isEqualTo("read");
        assertThat(harness.read(harness.get("/api/config", AS_ADMIN)).path("accountsApi").asBoolean()).isTrue();
        assertThat(addOffice().statusCode()).isEqualTo(201);
    }

    @Test
    void anAddedAccountIsCheckedKeptAndSyncedAtOnce() {
        startWithAccountsApi();
        long listsBefore = harness.simulator.requestCounts().requests();

        HttpResponse<String> added = addOffice();

        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(added.headers().firstValue("Location")).contains("/api/accounts/office");
        JsonNode account = harness.read(added);
        assertThat(account.path("name").asText()).isEqualTo("office");
        assertThat(account.path("credentials").asText()).isEqualTo("personalKey");
        assertThat(account.path("source").asText()).isEqualTo("api");
        assertThat(account.path("locks").asInt()).isEqualTo(2);
        assertThat(account.path("addedAt").isTextual()).isTrue();
        assertThat(added.body()).doesNotContain(OFFICE_KEY);
        assertThat(harness.simulator.requestCounts().requests()).as("one call checked the key").isGreaterThan(listsBefore);
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks").body().contains("OFF-00002"));
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
        JsonNode office = harness.read(harness.get("/api/accounts/office", AS_ADMIN));
        assertThat(office.path("mode").asText()).isEqualTo("polling");
        assertThat(office.path("syncIntervalSeconds").asInt()).isEqualTo(20);
        assertThat(office.path("forecastRequestsPerHour").asInt()).isEqualTo(180);
        assertThat(office.path("hourlyLimit").asInt()).isEqualTo(700);
        assertThat(office.path("requestsLastHour").asInt()).isPositive();
        assertThat(office.path("lastSuccessAt").isTextual()).isTrue();
        JsonNode all = harness.read(harness.get("/api/accounts", AS_ADMIN));
        assertThat(all).extracting(a -> a.path("name").asText() + ":" + a.path("source").asText())
                .containsExactly("home:declared", "office:api");
    }

    @Test
    void badBodiesAre400AndKeepNothing() {
        startWithAccountsApi();
        List<String> bodies = List.of("not json", "[1]", "{\"personalKey\":\"k\"}", "{\"name\":\"a b\",\"personalKey\":\"k\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"colour\":\"red\"}", "{\"name\":\"x\",\"personalKey\":\"k\",\"refreshToken\":\"t\"}",
                "{\"name\":\"x\",\"refreshToken\":\"t\",\"clientId\":\"c\"}", "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":\"5s\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":\"soon\"}", "{\"name\":\"x\",\"personalKey\":42}", "{\"name\":\"x\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"apiUrl\":\"not a url\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"apiUrl\":\"ftp://host/\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"apiUrl\":\"https://user:pw@host/\"}",
                "{\"name\":\"x\",\"personalKey\":\"" + OFFICE_KEY + "\",\"apiVersion\":\"v99x\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":\"999999999999d\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":\"PT2562047788015215H\"}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":1e30}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":30.5}",
                "{\"name\":\"x\",\"personalKey\":\"k\",\"syncInterval\":\"2d\"}");
        for (String body : bodies) {
            HttpResponse<String> response = harness.post("/api/accounts", body, AS_ADMIN);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(error(response)).as(body).isEqualTo("invalid_account");
            assertThat(harness.read(response).path("message").asText()).as(body).isNotBlank();
        }
        assertThat(harness.read(harness.get("/api/accounts", AS_ADMIN))).hasSize(1);
    }

    @Test
    void takenNamesAre409() {
        startWithAccountsApi();

        HttpResponse<String> declared = harness.post("/api/accounts", "{\"name\":\"home\",\"personalKey\":\"" + OFFICE_KEY + "\"}", AS_ADMIN);
        assertThat(addOffice().statusCode()).isEqualTo(201);
        HttpResponse<String> again = addOffice();

        assertThat(declared.statusCode()).isEqualTo(409);
        assertThat(error(declared)).isEqualTo("name_taken");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(harness.read(harness.get("/api/accounts", AS_ADMIN))).hasSize(2);
    }

    @Test
    void refusedCredentialsAre422WithTedeesMessageAndKeepNothing() {
        startWithAccountsApi();

        HttpResponse<String> refused = harness.post("/api/accounts", "{\"name\":\"office\",\"personalKey\":\"not-the-key\"}", AS_ADMIN);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(error(refused)).isEqualTo("credentials_refused");
        assertThat(harness.read(refused).path("message").asText()).contains("refused").contains("401");
        assertThat(refused.body()).doesNotContain("not-the-key");
        assertThat(harness.get("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(404);
        harness.stopService();
        startWithAccountsApi();
        assertThat(harness.get("/api/accounts/office", AS_ADMIN).statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void anUnreachableTedeeIs502() throws Exception {
        startWithAccountsApi();
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        HttpResponse<String> response = harness.post("/api/accounts", "{\"name\":\"office\",\"personalKey\":\"" + OFFICE_KEY
                + "\",\"apiUrl\":\"http://127.0.0.1:" + closed + "\"}", AS_ADMIN);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error(response)).isEqualTo("tedee_unreachable");
    }

    @Test
    void patchChangesTheIntervalAndItsForecast() {
        startWithAccountsApi();
        addOffice();

        JsonNode slower = harness.read(harness.patch("/api/accounts/office", "{\"syncInterval\":\"60s\"}", AS_ADMIN));
        assertThat(slower.path("syncIntervalSeconds").asInt()).isEqualTo(60);
        assertThat(slower.path("forecastRequestsPerHour").asInt()).isEqualTo(60);
        harness.stopService();
        startWithAccountsApi();
        assertThat(harness.read(harness.get("/api/accounts/office", AS_ADMIN)).path("syncIntervalSeconds").asInt())
                .as("kept across a restart").isEqualTo(60);
        JsonNode back = harness.read(harness.patch("/api/accounts/office", "{\"syncInterval\":null}", AS_ADMIN));
        assertThat(back.path("syncIntervalSeconds").asInt()).isEqualTo(20);
        assertThat(harness.patch("/api/accounts/office", "{\"syncInterval\":\"9s\"}", AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(harness.patch("/api/accounts/office", "{\"syncInterval\":\"999999999999d\"}", AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(harness.patch("/api/accounts/office", "{}", AS_ADMIN).statusCode()).isEqualTo(400);
    }

    @Test
    void patchRotatesTheCredentialsAndAFailedAccountResumes() {
        startWithAccountsApi();
        addOffice();
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks").body().contains("OFF-00002"));
        harness.simulator.replaceKey("office", "office-rotated-key-5c2d");
        harness.post("/api/locks/OFF-00001/sync", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("failed"));

        HttpResponse<String> refused = harness.patch("/api/accounts/office", "{\"personalKey\":\"still-wrong\"}", AS_ADMIN);
        HttpResponse<String> rotated = harness.patch("/api/accounts/office", "{\"personalKey\":\"office-rotated-key-5c2d\"}", AS_ADMIN);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(rotated.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
        harness.stopService();
        startWithAccountsApi();
        await("the rotated key was stored").atMost(Duration.ofSeconds(30)).until(() -> harness.read(
                harness.get("/api/accounts/office", AS_ADMIN)).path("health").asText().equals("ok"));
    }

    @Test
    void onePatchOfCredentialsAndIntervalAppliesBoth() {
        startWithAccountsApi();
        addOffice();
        harness.simulator.replaceKey("office", "office-rotated-key-77aa");

        JsonNode changed = harness.read(harness.patch("/api/accounts/office",
                "{\"personalKey\":\"office-rotated-key-77aa\",\"syncInterval\":\"45s\"}", AS_ADMIN));

        assertThat(changed.path("syncIntervalSeconds").asInt()).isEqualTo(45);
        harness.stopService();
        startWithAccountsApi();
        assertThat(harness.read(harness.get("/api/accounts/office", AS_ADMIN)).path("syncIntervalSeconds").asInt()).isEqualTo(45);
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
    }

    @Test
    void aPatchedRefreshTokenSpentByItsCheckIsReplacedByTheOneItRotatedTo() {
        startWithAccountsApi();
        harness.simulator.singleUseRefreshTokens(true); // each refresh spends the token it used
        String oauth = "\",\"clientId\":\"client-1\",\"tokenUrl\":\"" + harness.simulator.tokenUrl() + "\"}";
        assertThat(harness.post("/api/accounts", "{\"name\":\"office\",\"refreshToken\":\""
                + harness.simulator.issueTokens("office").refreshToken() + oauth, AS_ADMIN).statusCode()).isEqualTo(201);

        HttpResponse<String> patched = harness.patch("/api/accounts/office", "{\"refreshToken\":\""
                + harness.simulator.issueTokens("office").refreshToken() + oauth, AS_ADMIN);

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(harness.read(patched).path("credentials").asText()).isEqualTo("oauth");
        harness.stopService();
        startWithAccountsApi(); // a spent token in the store would fail now
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
    }

    @Test
    void declaredAccountsAreChangedInTheirFileNotOverTheApi() {
        startWithAccountsApi();

        HttpResponse<String> patch = harness.patch("/api/accounts/home", "{\"syncInterval\":\"30s\"}", AS_ADMIN);
        HttpResponse<String> delete = harness.delete("/api/accounts/home", AS_ADMIN);

        assertThat(patch.statusCode()).isEqualTo(409);
        assertThat(error(patch)).isEqualTo("declared_account");
        assertThat(harness.read(patch).path("message").asText()).contains("accounts file");
        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(harness.read(harness.get("/api/accounts/home", AS_ADMIN)).path("source").asText()).isEqualTo("declared");
    }

    @Test
    void unknownAccountsAre404() {
        startWithAccountsApi();

        assertThat(harness.get("/api/accounts/nobody", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(harness.patch("/api/accounts/nobody", "{\"syncInterval\":\"30s\"}", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(harness.delete("/api/accounts/nobody", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(harness.delete("/api/accounts/office?purge=maybe", AS_ADMIN).statusCode()).isEqualTo(400);
    }

    @Test
    void deleteStopsSyncingAndKeepsItsLocksAndEventsInTheStore() {
        startWithAccountsApi();
        addOffice();
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks").body().contains("OFF-00002"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !harness.read(harness.get("/api/events?serialNumber=OFF-00001")).isEmpty());

        HttpResponse<String> deleted = harness.delete("/api/accounts/office", AS_ADMIN);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(harness.get("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(harness.get("/api/locks").body()).doesNotContain("OFF-0000");
        assertThat(harness.read(harness.get("/api/events?serialNumber=OFF-00001"))).as("events stay").isNotEmpty();
        assertThat(harness.service.storeForTests().loadLocks()).containsKey("office");
        assertThat(addOffice().statusCode()).as("the name is free again").isEqualTo(201);
    }

    @Test
    void deleteWithPurgeRemovesItsLocksAndEvents() {
        startWithAccountsApi();
        addOffice();
        await().atMost(Duration.ofSeconds(15)).until(() -> !harness.read(harness.get("/api/events?serialNumber=OFF-00001")).isEmpty());

        assertThat(harness.delete("/api/accounts/office?purge=true", AS_ADMIN).statusCode()).isEqualTo(204);

        assertThat(harness.read(harness.get("/api/events?serialNumber=OFF-00001"))).isEmpty();
        assertThat(harness.service.storeForTests().loadLocks()).doesNotContainKey("office");
        assertThat(harness.read(harness.get("/api/events?serialNumber=SRV-00001"))).as("other accounts keep theirs").isNotEmpty();
    }

    @Test
    void addedAccountsResumeAfterARestartWithoutDuplicateEvents() {
        startWithAccountsApi();
        addOffice();
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/events?serialNumber=OFF-00002")).size() > 0);
        int officeEvents = harness.read(harness.get("/api/events?serialNumber=OFF-00001")).size();
        harness.stopService();

        startWithAccountsApi();

        JsonNode office = harness.read(harness.get("/api/accounts/office", AS_ADMIN));
        assertThat(office.path("source").asText()).isEqualTo("api");
        assertThat(harness.get("/api/locks").body()).as("served from the store at once").contains("OFF-00001");
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
        assertThat(harness.read(harness.get("/api/events?serialNumber=OFF-00001"))).as("no event replayed or repeated")
                .hasSize(officeEvents);
        assertThat(harness.read(harness.get("/api/events?serialNumber=OFF-00002"))).hasSize(officeEvents);
    }

    @Test
    void anAccountAddedAgainAfterARemovalThatKeptItsLocksAddsNoLockTwice() {
        startWithAccountsApi();
        addOffice();
        await().atMost(Duration.ofSeconds(15)).until(() -> !harness.read(harness.get("/api/events?serialNumber=OFF-00001")).isEmpty());
        assertThat(harness.delete("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(204);

        assertThat(addOffice().statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(15)).until(() -> harness.read(harness.get("/api/accounts/office", AS_ADMIN))
                .path("health").asText().equals("ok"));
        JsonNode events = harness.read(harness.get("/api/events?serialNumber=OFF-00001"));
        assertThat(events).filteredOn(event -> event.path("type").asText().equals("Added")).as("seeded from the store").hasSize(1);
    }

    @Test
    void aStoreThatFailsChangesNothingAndSaysSo() {
        startWithAccountsApi();
        addOffice();
        harness.service.storeForTests().close();

        HttpResponse<String> add = harness.post("/api/accounts", "{\"name\":\"attic\",\"personalKey\":\"" + OFFICE_KEY + "\"}", AS_ADMIN);
        HttpResponse<String> patch = harness.patch("/api/accounts/office", "{\"syncInterval\":\"60s\"}", AS_ADMIN);
        HttpResponse<String> delete = harness.delete("/api/accounts/office", AS_ADMIN);

        assertThat(List.of(add, patch, delete)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(error(response)).isEqualTo("store_unavailable");
        });
        assertThat(harness.read(harness.get("/api/accounts", AS_ADMIN))).extracting(a -> a.path("name").asText())
                .as("nothing added, nothing removed").containsExactly("home", "office");
        assertThat(harness.read(harness.get("/api/accounts/office", AS_ADMIN)).path("syncIntervalSeconds").asInt())
                .as("the engine kept the interval the store has").isEqualTo(20);
    }

    @Test
    void purgeOfARemovedAccountsLeftoversDeletesThem() {
        startWithAccountsApi();
        addOffice();
        await().atMost(Duration.ofSeconds(15)).until(() -> !harness.read(harness.get("/api/events?serialNumber=OFF-00001")).isEmpty());
        assertThat(harness.delete("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(204);

        assertThat(harness.delete("/api/accounts/office?purge=true", AS_ADMIN).statusCode()).isEqualTo(204);

        assertThat(harness.read(harness.get("/api/events?serialNumber=OFF-00001"))).isEmpty();
        assertThat(harness.delete("/api/accounts/office?purge=true", AS_ADMIN).statusCode()).as("nothing left").isEqualTo(404);
    }

    @Test
    void aStoredRowThatDoesNotOpenIsLeftOutAtStartAndCanBeRemoved() {
        startWithAccountsApi();
        addOffice();
        harness.stopService();
        io.tedeesync.store.LockStore store = io.tedeesync.store.LockStore.open(harness.settings.databaseUrl() == null
                ? io.tedeesync.store.StoreConfig.sqlite(data)
                : io.tedeesync.store.StoreConfig.postgres(harness.settings.databaseUrl(), harness.settings.databaseUser(), null));
        io.tedeesync.store.StoredAccount row = store.loadAccounts().get(0);
        store.updateAccount(new io.tedeesync.store.StoredAccount(row.name(), row.credentialKind(), row.sealedCredentials(),
                java.net.URI.create("https://elsewhere.example"), row.apiVersion(), row.syncInterval(), row.userIdentity(), row.addedAt(),
                row.updatedAt()));
        store.close();

        startWithAccountsApi();

        assertThat(harness.get("/api/locks").statusCode()).as("the others run").isEqualTo(200);
        assertThat(harness.get("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(addOffice().statusCode()).as("its row is still there").isEqualTo(409);
        assertThat(harness.delete("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(204);
        assertThat(addOffice().statusCode()).isEqualTo(201);
    }

    @Test
    void aWrongKeyIsAClearErrorAtStart() {
        startWithAccountsApi();
        addOffice();
        harness.stopService();
        String otherKey = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

        assertThatThrownBy(() -> start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(ADMIN, otherKey, null))))
                .isInstanceOf(CredentialCipher.WrongKeyException.class)
                .hasMessageContaining("account office")
                .hasMessageContaining("TEDEE_SYNC_SECRET_KEY")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(otherKey).doesNotContain(SECRET_KEY));
    }

    @Test
    void storedCredentialsAreSealed() throws Exception {
        startWithAccountsApi();
        addOffice();

        List<String> sealed = new ArrayList<>();
        harness.service.storeForTests().loadAccounts().forEach(row -> sealed.add(row.sealedCredentials()));

        assertThat(sealed).hasSize(1);
        assertThat(sealed.get(0)).startsWith("v1.").doesNotContain(OFFICE_KEY)
                .doesNotContain(Base64.getEncoder().encodeToString(OFFICE_KEY.getBytes()));
    }
}
