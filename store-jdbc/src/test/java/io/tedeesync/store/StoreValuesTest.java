package io.tedeesync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
}
