package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --low-battery-below PERCENT} through {@code execute(args)}: 1..100, one clear line otherwise, and it reaches the API. */
class LowBatteryFlagTest {
    private static final Pattern SERVING = Pattern.compile("serving on (http://[0-9.]+:[0-9]+)");

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
    void theFlagReachesTheConfigAndTheSummary() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("default", "flag-test-key");
            simulator.addLock("default", "F-1", "Front door");
            simulator.setBattery("F-1", 30);
            simulator.start(0);
            String[] args = {"serve", "--api-url", simulator.baseUrl().toString(), "--personal-key", "flag-test-key", "--data",
                    dir.resolve("data").toString(), "--port", "0", "--low-battery-below", "35"};
            StringWriter out = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serving = new Thread(() -> exit.set(TedeeSyncCommand.execute(args, new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true), Map.of())));
            serving.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> SERVING.matcher(out.toString()).find());
                Matcher url = SERVING.matcher(out.toString());
                assertThat(url.find()).isTrue();
                HttpClient http = HttpClient.newHttpClient();
                ObjectMapper json = new ObjectMapper();
                JsonNode config = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/api/config")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                JsonNode summary = await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(http.send(HttpRequest.newBuilder(
                        URI.create(url.group(1) + "/api/summary")).build(), HttpResponse.BodyHandlers.ofString()).body()),
                        body -> body.path("total").path("locks").asInt() == 1);

                assertThat(config.get("lowBatteryBelow").asInt()).isEqualTo(35);
                assertThat(summary.get("lowBatteryBelow").asInt()).isEqualTo(35);
                assertThat(summary.get("total").get("lowBattery").asInt()).as("30 is below 35, not below the default 20").isEqualTo(1);
            } finally {
                serving.interrupt();
                serving.join(20_000);
                assertThat(serving.isAlive()).isFalse();
                assertThat(exit.get()).isZero();
            }
        }
    }
}
