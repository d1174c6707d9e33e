package io.tedeesync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The small values of the API validate themselves and keep secrets. */
class StoreValuesTest {

    @Test
    void aPostgresConfigShowsNeitherItsPasswordNorOneWrittenIntoTheUrl() {
        StoreConfig config = StoreConfig.postgres("jdbc:postgresql://db:5432/tedee?user=me&password=hunter2;ssl=true",
                "me", "topsecret");

        assertThat(config.toString())
                .isEqualTo("StoreConfig[postgres jdbc:postgresql://db:5432/tedee?user=me&password=***;ssl=true, "
                        + "user=me, password=***]");
        assertThat(StoreConfig.postgres("jdbc:postgresql://me:hunter2@db/tedee", null, null).toString())
                .contains("//me:***@db/tedee").contains("password=none").doesNotContain("hunter2");
    }

    @Test
    void anSqliteConfigNamesItsFile() {
        assertThat(StoreConfig.sqlite(Path.of("/var/lib/tedee")).toString())
                .isEqualTo("StoreConfig[sqlite /var/lib/tedee/tedee-sync.db]");
        assertThat(StoreConfig.sqlite(Path.of("data")).isEmbedded()).isTrue();
    }

    @Test
    void aConfigIsEitherAFileOrAPostgresUrl() {
        assertThatThrownBy(() -> new StoreConfig(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoreConfig(Path.of("data"), "jdbc:postgresql://db/x", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoreConfig.postgres("jdbc:mysql://db/x?password=hunter2", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only PostgreSQL")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> new StoreConfig(Path.of("data"), null, "me", "pw"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventQueryKeepsItsBounds() {
        assertThat(EventQuery.after(5, 10).withSerialNumber("SN-1").withAccount("home"))
                .isEqualTo(new EventQuery(5, 10, "SN-1", "home"));
        assertThat(new EventQuery(0, 1, null, null).limit()).isEqualTo(1);
        assertThat(new EventQuery(0, 1000, null, null).limit()).isEqualTo(1000);
        assertThatThrownBy(() -> EventQuery.after(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventQuery.after(0, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventQuery.after(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventQuery.after(0, 10).withSerialNumber(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventQuery.after(0, 10).withAccount("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoredAccountNeverShowsItsSealedCredentials() {
        StoredAccount account = Fixtures.account("home", Fixtures.T0);

        assertThat(account.toString())
                .isEqualTo("StoredAccount[name=home, credentialKind=personal-key, sealed=hidden, "
                        + "apiUrl=https://api.tedee.com, apiVersion=v1.36, syncInterval=PT45S, userIdentity=ada@example.com, "
                        + "addedAt=2024-05-01T10:00:00Z, updatedAt=2024-05-01T10:00:00Z]")
                .doesNotContain(Fixtures.sealed("home"));
    }

    @Test
    void aStoredAccountValidatesItself() {
        URI url = URI.create("https://api.tedee.com");
        Instant at = Fixtures.T0;
        assertThatThrownBy(() -> new StoredAccount(" ", "k", "s", url, "v1", null, null, at, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> new StoredAccount(null, "k", "s", url, "v1", null, null, at, at))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> new StoredAccount("a", null, "s", url, "v1", null, null, at, at))
                .isInstanceOf(NullPointerException.class).hasMessage("credentialKind");
        assertThatThrownBy(() -> new StoredAccount("a", "k", null, url, "v1", null, null, at, at))
                .isInstanceOf(NullPointerException.class).hasMessage("sealedCredentials");
        assertThatThrownBy(() -> new StoredAccount("a", "k", "s", null, "v1", null, null, at, at))
                .isInstanceOf(NullPointerException.class).hasMessage("apiUrl");
        assertThatThrownBy(() -> new StoredAccount("a", "k", "s", url, null, null, null, at, at))
                .isInstanceOf(NullPointerException.class).hasMessage("apiVersion");
        assertThatThrownBy(() -> new StoredAccount("a", "k", "s", url, "v1", null, null, null, at))
                .isInstanceOf(NullPointerException.class).hasMessage("addedAt");
        assertThatThrownBy(() -> new StoredAccount("a", "k", "s", url, "v1", null, null, at, null))
                .isInstanceOf(NullPointerException.class).hasMessage("updatedAt");
        assertThatThrownBy(() -> new StoredAccount("a", "k", "s", url, "v1", Duration.ZERO, null, at, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new StoredAccount("a", "k", "s", url, "v1", Duration.ofSeconds(-1), null, at, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThat(new StoredAccount("a", "k", "s", url, "v1", null, null, at, at).syncInterval()).isNull();
    }

    @Test
    void theWithersChangeOneFieldAndWhenTheAccountWasUpdated() {
        StoredAccount account = Fixtures.account("home", Fixtures.T0);
        Instant later = Fixtures.at(60);

        assertThat(account.withSealedCredentials("sealed:v2", later)).isEqualTo(new StoredAccount("home", "personal-key",
                "sealed:v2", URI.create("https://api.tedee.com"), "v1.36", Duration.ofSeconds(45), "ada@example.com",
                Fixtures.T0, later));
        assertThat(account.withSyncInterval(Duration.ofMinutes(5), later)).isEqualTo(new StoredAccount("home",
                "personal-key", Fixtures.sealed("home"), URI.create("https://api.tedee.com"), "v1.36",
                Duration.ofMinutes(5), "ada@example.com", Fixtures.T0, later));
        assertThat(account.withSyncInterval(null, later).syncInterval()).as("back to the default").isNull();
    }
}
