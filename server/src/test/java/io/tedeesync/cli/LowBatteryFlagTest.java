package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --low-battery-below PERCENT}: 1..100 through {@code execute(args)}, one clear line otherwise, and
 * the settings' threshold (which FleetQueryTest follows to {@code /api/config} and {@code /api/summary}).
 */
class LowBatteryFlagTest {
    @TempDir
    Path dir;

    @Test
    void aPercentOutside1To100IsOneClearLine() {
        for (String value : List.of("0", "101", "-5", "abc", "12.5", "")) {
            CommandRun run = CommandRun.of("serve", "--personal-key", "k", "--data", dir.toString(), "--port", "0",
                    "--low-battery-below", value);

            assertThat(run.exitCode()).as(value).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
            assertThat(run.err().lines()).as(value).singleElement().asString().startsWith("tedee-sync: ").contains("--low-battery-below");
            assertThat(run.err()).as(value).doesNotContain("Exception", "\tat ");
        }
        assertThat(CommandRun.of("serve", "--personal-key", "k", "--data", dir.toString(), "--low-battery-below", "0").err())
                .contains("from 1 to 100");
    }

    @Test
    void byDefaultABatteryBelow20IsLow() {
        ServeOptions options = new ServeOptions();
        CommandLine line = new CommandLine(options);
        line.registerConverter(Duration.class, new DurationConverter());
        line.parseArgs("--personal-key", "k", "--data", dir.toString());

        assertThat(options.settings(Map.of()).lowBatteryBelow()).isEqualTo(20);
    }

    @Test
    void theFlagIsTheServicesThreshold() {
        ServeOptions options = new ServeOptions();
        CommandLine line = new CommandLine(options);
        line.registerConverter(Duration.class, new DurationConverter());
        line.parseArgs("--personal-key", "k", "--data", dir.toString(), "--low-battery-below", "35");

        // From the settings on, FleetQueryTest shows the threshold in /api/config and the summary over HTTP.
        assertThat(options.settings(Map.of()).lowBatteryBelow()).isEqualTo(35);
    }
}
