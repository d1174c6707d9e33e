package io.tedeesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tedee-sync accounts list|add|remove}: the accounts API of a running service, from the command
 * line. Needs the service's admin token ({@code --admin-token} or {@value ServeOptions#ADMIN_TOKEN_VARIABLE}).
 * The service's refusals end with its message and a non-zero exit: 2 bad request, 3 token or credentials
 * refused, 4 service unreachable, 1 otherwise.
 */
@Command(name = "accounts", mixinStandardHelpOptions = true, description = "List, add and remove the accounts of a running service.",
        subcommands = {AccountsCommand.ListAccounts.class, AccountsCommand.AddAccount.class, AccountsCommand.RemoveAccount.class})
final class AccountsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private TedeeSyncCommand parent;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the service is and the admin token: shared by the subcommands. */
    static final class Service {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "The running service (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--admin-token", paramLabel = "TOKEN", description = "The service's admin token (or " + ServeOptions.ADMIN_TOKEN_VARIABLE + ").")
        String adminToken;

        JsonNode call(String method, String path, JsonNode body, Map<String, String> environment, int... expected) {
            String token = adminToken != null ? adminToken : environment.get(ServeOptions.ADMIN_TOKEN_VARIABLE);
            if (token == null || token.isBlank()) {
                throw new UsageException("no admin token: pass --admin-token or set " + ServeOptions.ADMIN_TOKEN_VARIABLE);
            }
            if (!url.isAbsolute() || url.getHost() == null
                    || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
                throw new UsageException("--url must be the service's http(s) URL, e.g. http://127.0.0.1:8080");
            }
            String base = url.toString().replaceAll("/+$", "");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token.trim())
                    .header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response;
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ServiceRefusal(TedeeSyncCommand.EXIT_UNREACHABLE, "cannot reach the service at " + base + " ("
                        + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceRefusal(TedeeSyncCommand.EXIT_FAILURE, "interrupted");
            }
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return read(response.body());
                }
            }
            JsonNode error = read(response.body());
            String message = error == null ? "HTTP " + response.statusCode() : error.path("message").asText("HTTP " + response.statusCode());
            int status = response.statusCode();
            throw new ServiceRefusal(status == 400 ? TedeeSyncCommand.EXIT_USAGE
                    : status == 401 || status == 403 || status == 422 ? TedeeSyncCommand.EXIT_AUTHENTICATION : TedeeSyncCommand.EXIT_FAILURE,
                    message + " (HTTP " + status + ")");
        }

        private static JsonNode read(String body) {
            try {
                return body == null || body.isBlank() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** The service said no: its message, and the exit code it means. */
    static final class ServiceRefusal extends RuntimeException {
        final int exitCode;

        ServiceRefusal(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts: health, mode, budget and forecast.")
    static final class ListAccounts implements Callable<Integer> {
        @ParentCommand
        private AccountsCommand accounts;

        @Mixin
        private Service service;

        @Option(names = "--json", description = "Print the service's JSON instead of a table.")
        private boolean json;

        @Override
        public Integer call() {
            JsonNode list = service.call("GET", "/api/accounts", null, accounts.parent.environment(), 200);
            PrintWriter out = accounts.spec.commandLine().getOut();
            if (json) {
                out.println(list == null ? "[]" : list.toPrettyString());
                return 0;
            }
            if (list == null || list.isEmpty()) {
                out.println("No accounts yet: add one with 'tedee-sync accounts add'.");
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "SOURCE", "CREDENTIALS", "HEALTH", "LOCKS", "MODE", "INTERVAL", "REQUESTS/H", "FORECAST/H",
                "LAST SYNC"});
            for (JsonNode account : list) {
                String reason = account.path("reason").asText("");
                rows.add(new String[] {account.path("name").asText(), account.path("source").asText(), account.path("credentials").asText(),
                    account.path("health").asText() + (reason.isEmpty() ? "" : " (" + reason + ")"), account.path("locks").asText(),
                    account.path("mode").asText(), account.path("syncIntervalSeconds").asText() + "s",
                    account.path("requestsLastHour").asText() + "/" + account.path("hourlyLimit").asText(),
                    account.path("forecastRequestsPerHour").asText(), account.path("lastSuccessAt").asText("-")});
            }
            TextTable.print(rows, out);
            out.println(list.size() + (list.size() == 1 ? " account" : " accounts"));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an account: its credentials are checked with one call, kept encrypted, and it syncs at once.")
    static final class AddAccount implements Callable<Integer> {
        @ParentCommand
        private AccountsCommand accounts;

        @Mixin
        private Service service;

        @Parameters(index = "0", paramLabel = "NAME", description = "The account's name (letters, digits, . _ @ -).")
        private String name;

        @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "OAuth (instead of a personal key):%n")
        private OAuthOptions oauth;

        @Option(names = "--personal-key", paramLabel = "KEY", description = "Personal access key (or " + ApiOptions.KEY_VARIABLE + ").")
        private String personalKey;

        @Option(names = "--sync-interval", paramLabel = "DURATION", description = "Its interval (default: the service's).")
        private String syncInterval;

        @Option(names = "--api-url", paramLabel = "URL", description = "Its Tedee API (default: the service's).")
        private String apiUrl;

        @Option(names = "--api-version", paramLabel = "VERSION", description = "Its API version (default: the service's).")
        private String apiVersion;

        @Option(names = "--user-identity", paramLabel = "ID", description = "Its Tedee user identity, for webhook routing.")
        private String userIdentity;

        static final class OAuthOptions {
            @Option(names = "--refresh-token", required = true, paramLabel = "TOKEN", description = "OAuth refresh token.")
            String refreshToken;

            @Option(names = "--client-id", required = true, paramLabel = "ID", description = "OAuth client id.")
            String clientId;

            @Option(names = "--token-url", required = true, paramLabel = "URL", description = "OAuth token endpoint.")
            String tokenUrl;

            @Option(names = "--client-secret", paramLabel = "SECRET", description = "OAuth client secret, if registered with one.")
            String clientSecret;
        }

        @Override
        public Integer call() {
            Map<String, String> environment = accounts.parent.environment();
            ObjectNode body = JSON.createObjectNode().put("name", name);
            String key = personalKey != null ? personalKey : oauth == null ? environment.get(ApiOptions.KEY_VARIABLE) : null;
            if (oauth != null && personalKey != null) {
                throw new UsageException("give --personal-key or --refresh-token, not both");
            }
            if (oauth != null) {
                body.put("refreshToken", oauth.refreshToken).put("clientId", oauth.clientId).put("tokenUrl", oauth.tokenUrl);
                if (oauth.clientSecret != null) {
                    body.put("clientSecret", oauth.clientSecret);
                }
            } else if (key != null && !key.isBlank()) {
                body.put("personalKey", key);
            } else {
                throw new UsageException("no credentials: pass --personal-key (or set " + ApiOptions.KEY_VARIABLE
                        + ") or --refresh-token with --client-id and --token-url");
            }
            putIfGiven(body, "syncInterval", syncInterval);
            putIfGiven(body, "apiUrl", apiUrl);
            putIfGiven(body, "apiVersion", apiVersion);
            putIfGiven(body, "userIdentity", userIdentity);
            JsonNode added = service.call("POST", "/api/accounts", body, environment, 201);
            PrintWriter out = accounts.spec.commandLine().getOut();
            out.println("account " + name + " added: " + (added == null ? "?" : added.path("locks").asText("?")) + " lock(s), syncing");
            return 0;
        }

        private static void putIfGiven(ObjectNode body, String field, String value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stop syncing an account and delete it (its locks and events stay in the store unless --purge).")
    static final class RemoveAccount implements Callable<Integer> {
        @ParentCommand
        private AccountsCommand accounts;

        @Mixin
        private Service service;

        @Parameters(index = "0", paramLabel = "NAME", description = "The account's name.")
        private String name;

        @Option(names = "--purge", description = "Delete its locks and events from the store too.")
        private boolean purge;

        @Override
        public Integer call() {
            service.call("DELETE", "/api/accounts/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                    + (purge ? "?purge=true" : ""), null, accounts.parent.environment(), 204);
            accounts.spec.commandLine().getOut().println("account " + name + " removed" + (purge ? " with its locks and events" : ""));
            return 0;
        }
    }
}
