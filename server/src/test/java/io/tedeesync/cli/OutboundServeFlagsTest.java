package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.outbound.OutboundSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --allow-private-webhook-targets} and {@code --webhook-retry-for} reach the service's settings. */
class OutboundServeFlagsTest {
    @TempDir
    Path dir;

    private OutboundSettings outbound(String... flags) {
        ServeOptions options = new ServeOptions();
        CommandLine line = new CommandLine(options);
        line.registerConverter(Duration.class, new DurationConverter());
        String[] args = new String[flags.length + 4];
        System.arraycopy(new String[] {"--personal-key", "k", "--data", dir.toString()}, 0, args, 0, 4);
        System.arraycopy(flags, 0, args, 4, flags.length);
        line.parseArgs(args);
        return options.settings(Map.of()).outbound();
    }

    @Test
    void byDefaultPrivateTargetsAreRefusedAndRetriesLastADay() {
        OutboundSettings settings = outbound();

        assertThat(settings.allowPrivateTargets()).isFalse();
        assertThat(settings.retryFor()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.perEndpointConcurrency()).isEqualTo(16);
    }

    @Test
    void theFlagsChangeThem() {
        OutboundSettings settings = outbound("--allow-private-webhook-targets", "--webhook-retry-for", "36h");

        assertThat(settings.allowPrivateTargets()).isTrue();
        assertThat(settings.retryFor()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void aRetryPeriodOfZeroIsABadFlag() {
        assertThatThrownBy(() -> outbound("--webhook-retry-for", "0")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--webhook-retry-for");
    }
}
