package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.simulator.TedeeSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --metrics-per-account} through {@code execute(args)}: the flag reaches {@code /metrics}. */
class ServeMetricsFlagTest {
    private static final Pattern SERVING = Pattern.compile("serving on (http://[0-9.]+:[0-9]+)");

    @TempDir
    Path dir;

    @Test
    void metricsPerAccountFlagLabelsTheSeriesWithTheAccount() throws Exception {
        assertThat(scrapeOfServe("--metrics-per-account")).contains("tedee_locks{account=\"default\"} 1.0");
        assertThat(scrapeOfServe()).contains("tedee_locks 1.0").doesNotContain("account=");
    }

    private String scrapeOfServe(String... flags) throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("default", "flag-test-key");
            simulator.addLock("default", "F-1", "Front door");
            simulator.start(0);
            List<String> args = new ArrayList<>(List.of("serve", "--api-url", simulator.baseUrl().toString(), "--personal-key", "flag-test-key",
                    "--data", dir.resolve("data-" + flags.length).toString(), "--port", "0"));
            args.addAll(List.of(flags));
            StringWriter out = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serving = new Thread(() -> exit.set(TedeeSyncCommand.execute(args.toArray(String[]::new),
                    new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of())));
            serving.start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> SERVING.matcher(out.toString()).find());
                Matcher url = SERVING.matcher(out.toString());
                assertThat(url.find()).isTrue();
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest metrics = HttpRequest.newBuilder(URI.create(url.group(1) + "/metrics")).build();
                return await().atMost(Duration.ofSeconds(20)).until(() -> http.send(metrics, HttpResponse.BodyHandlers.ofString()).body(),
                        body -> body.contains("tedee_accounts{health=\"ok\"} 1.0"));
            } finally {
                serving.interrupt();
                serving.join(20_000);
                assertThat(serving.isAlive()).isFalse();
                assertThat(exit.get()).isZero();
            }
        }
    }
}
