package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SimulatorCommandTest {

    @Test
    void servesItsLocksToTheLocksCommandUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = new Thread(() -> exit.set(TedeeSyncCommand.execute(
                new String[] {"simulator", "--port", "0", "--locks", "3", "--key", "sim-key", "--activity", "0"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of())));
        running.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("Press Ctrl-C"));
        Matcher url = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
        assertThat(url.find()).isTrue();
        assertThat(out.toString()).contains("sim-key");

        CommandRun locks = CommandRun.of("locks", "--api-url", url.group(1), "--personal-key", "sim-key", "--json");
        assertThat(locks.exitCode()).isZero();
        assertThat(locks.out()).contains("\"serialNumber\"");
        assertThat(locks.out().split("\"serialNumber\"", -1)).hasSize(4);

        running.interrupt();
        running.join(10_000);
        assertThat(running.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void refusesNonsenseFlags() {
        CommandRun run = CommandRun.of("simulator", "--locks", "-1");

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--locks");
    }
}
