package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.accounts.SecretKeyFile;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The accounts API on the embedded store, and the key file it creates beside the data. */
class SqliteAccountsApiTest extends AccountsApiContract {
    @Override
    ServiceSettings onStore(ServiceSettings settings) {
        return settings;
    }

    @Test
    void withoutAKeyInTheEnvironmentAnOwnerOnlyKeyFileIsCreatedAndUsedAgain() throws Exception {
        start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(ADMIN, null, null)));
        addOffice();
        java.nio.file.Path keyFile = data.resolve(SecretKeyFile.FILE_NAME);

        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String key = Files.readString(keyFile);
        harness.stopService();
        start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(ADMIN, null, null)));
        assertThat(harness.get("/api/accounts/office", AS_ADMIN).statusCode()).isEqualTo(200);
        assertThat(Files.readString(keyFile)).isEqualTo(key);
    }

    @Test
    void aRotatedRefreshTokenIsSealedIntoTheStoreAndUsedAfterARestart() throws Exception {
        startWithAccountsApi();
        io.tedeesync.simulator.OAuthTokens issued = harness.simulator.issueTokens("office");

        org.assertj.core.api.Assertions.assertThat(harness.post("/api/accounts", "{\"name\":\"office\",\"refreshToken\":\""
                + issued.refreshToken() + "\",\"clientId\":\"client-1\",\"tokenUrl\":\"" + harness.simulator.tokenUrl() + "\"}",
                AS_ADMIN).statusCode()).isEqualTo(201);

        io.tedeesync.accounts.CredentialCipher cipher = new io.tedeesync.accounts.CredentialCipher(
                java.util.Base64.getDecoder().decode(SECRET_KEY), new java.security.SecureRandom());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            String sealed = harness.service.storeForTests().loadAccounts().get(0).sealedCredentials();
            com.fasterxml.jackson.databind.JsonNode stored = harness.json.readTree(cipher.open("office", harness.simulator.baseUrl(), sealed));
            assertThat(stored.path("refreshToken").asText()).as("the rotated one").isNotBlank().isNotEqualTo(issued.refreshToken());
            assertThat(stored.path("clientId").asText()).isEqualTo("client-1");
        });
        assertThat(harness.service.storeForTests().loadAccounts().get(0).credentialKind()).isEqualTo("oauth");
        harness.stopService();
        startWithAccountsApi();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> harness.read(
                harness.get("/api/accounts/office", AS_ADMIN)).path("health").asText().equals("ok"));
    }

    @Test
    void storedAccountsWithTheirKeyFileGoneAreAClearErrorAtStart() throws Exception {
        start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(ADMIN, null, null)));
        addOffice();
        harness.stopService();
        Files.delete(data.resolve(SecretKeyFile.FILE_NAME));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(s -> s))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(SecretKeyFile.VARIABLE)
                .hasMessageContaining(SecretKeyFile.FILE_NAME);
    }
}
