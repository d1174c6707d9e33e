package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tedeesync.accounts.SignInSettings;
import io.tedeesync.cli.logging.RedactingLayout;
import io.tedeesync.simulator.OAuthTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * After every accounts path (add with a key and with OAuth, a refused add, rotation, sign-in, removal),
 * no credential is in any response, header, metric, or log line: our own lines as logged, and every
 * library's at DEBUG as the service writes them.
 */
class AccountSecretsTest {
    private static final String CLIENT_SECRET = "sign-in-client-secret-61fa";
    private static final String OFFICE_KEY = "office-key-secret-0c4e";
    private static final String ROTATED_KEY = "office-rotated-secret-93ad";

    @TempDir
    Path data;

    @Test
    void noCredentialInAnyResponseMetricOrLogLine() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        List<HttpResponse<String>> responses = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(OFFICE_KEY, ROTATED_KEY, CLIENT_SECRET, AccountsApiContract.ADMIN,
                AccountsApiContract.SECRET_KEY, ServiceHarness.KEY));
        try (ServiceHarness harness = new ServiceHarness(data)) {
            harness.simulator.addAccount("office", OFFICE_KEY);
            harness.simulator.addLock("office", "OFF-00001", "Office");
            harness.simulator.addAccount("studio", "studio-key-unused");
            harness.simulator.addLock("studio", "STU-00001", "Studio");
            harness.simulator.addAccount("attic", "attic-key-unused");
            OAuthTokens studio = harness.simulator.issueTokens("studio");
            secrets.add(studio.refreshToken());
            secrets.add(studio.accessToken());
            harness.start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(AccountsApiContract.ADMIN, AccountsApiContract.SECRET_KEY,
                    new SignInSettings("client-1", CLIENT_SECRET, harness.simulator.authorizeUrl(), harness.simulator.tokenUrl(),
                            SignInSettings.DEFAULT_SCOPES, null))).withMetricsPerAccount(true));
            String[] admin = AccountsApiContract.AS_ADMIN;

            responses.add(harness.post("/api/accounts", "{\"name\":\"office\",\"personalKey\":\"" + OFFICE_KEY + "\"}", admin));
            responses.add(harness.post("/api/accounts", "{\"name\":\"wrong\",\"personalKey\":\"" + OFFICE_KEY + "x\"}", admin));
            responses.add(harness.post("/api/accounts", "{\"name\":\"studio\",\"refreshToken\":\"" + studio.refreshToken()
                    + "\",\"clientId\":\"client-1\",\"tokenUrl\":\"" + harness.simulator.tokenUrl() + "\"}", admin));
            responses.add(harness.post("/api/accounts", "{\"name\":\"bad json " + OFFICE_KEY, admin));
            harness.simulator.replaceKey("office", ROTATED_KEY);
            responses.add(harness.patch("/api/accounts/office", "{\"personalKey\":\"" + ROTATED_KEY + "\"}", admin));
            HttpResponse<String> started = harness.get("/oauth/start?account=attic", admin);
            responses.add(started);
            URI authorize = URI.create(started.headers().firstValue("Location").orElseThrow());
            String form = authorize.getRawQuery() + "&account=attic";
            HttpResponse<String> approved = harness.send(HttpRequest.newBuilder(URI.create(authorize.toString().split("\\?")[0]))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
            URI callback = URI.create(approved.headers().firstValue("Location").orElseThrow());
            secrets.add(SignInTest.query(callback).get("code"));
            responses.add(harness.send(HttpRequest.newBuilder(callback).GET()));
            responses.add(harness.send(HttpRequest.newBuilder(callback).GET()));
            await().atMost(Duration.ofSeconds(20)).until(() -> harness.get("/api/locks").body().contains("STU-00001"));
            responses.add(harness.get("/api/accounts", admin));
            responses.add(harness.get("/api/accounts/studio", admin));
            responses.add(harness.get("/health"));
            responses.add(harness.get("/metrics"));
            responses.add(harness.get("/api/config"));
            responses.add(harness.delete("/api/accounts/office?purge=true", admin));
            responses.add(harness.delete("/api/accounts/studio", admin));
            responses.add(harness.get("/metrics"));
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootLevel);
        }

        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern("%logger %msg %ex");
        layout.start();
        List<String> texts = new ArrayList<>();
        synchronized (captured.list) {
            for (ILoggingEvent event : captured.list) {
                texts.add(layout.doLayout(event)); // what the service writes, whoever logged it
                if (event.getLoggerName().startsWith("io.tedeesync")) {
                    texts.add(event.getFormattedMessage()); // our own lines: no secret even before redaction
                }
            }
        }
        responses.forEach(response -> {
            texts.add(response.body());
            texts.add(response.headers().map().toString());
        });
        assertThat(responses).extracting(HttpResponse::statusCode).contains(201, 422, 200, 204);
        assertThat(texts).as("the run logged and answered").hasSizeGreaterThan(100);
        assertThat(String.join("\n", texts)).as("the sign-in page was seen").contains("Account attic is connected");
        for (String secret : secrets) {
            assertThat(texts).as("secret %s...", secret.substring(0, 6)).noneMatch(text -> text != null
                    && (text.contains(secret) || text.contains(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8))));
        }
    }
}
