package io.tedeesync.cli;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.client.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the Tedee API is and how to authenticate: shared by every command that talks to it. */
final class ApiOptions {
    static final String KEY_VARIABLE = "TEDEE_PERSONAL_KEY";
    static final String TOKEN_VARIABLE = "TEDEE_ACCESS_TOKEN";

    @Option(names = "--api-url", paramLabel = "URL", defaultValue = "https://api.tedee.com",
            description = "Base URL of the Tedee API (default: ${DEFAULT-VALUE}).")
    String apiUrl;

    @Option(names = "--api-version", paramLabel = "VERSION", defaultValue = "v37",
            description = "API version, v37 or an older v1.NN (default: ${DEFAULT-VALUE}).")
    String apiVersion;

    @Option(names = "--personal-key", paramLabel = "KEY",
            description = "Personal access key (prefer the environment variable " + KEY_VARIABLE + ": flags show in 'ps').")
    String personalKey;

    @Option(names = "--access-token", paramLabel = "TOKEN",
            description = "OAuth access token (Bearer); or the environment variable " + TOKEN_VARIABLE + ".")
    String accessToken;

    @Option(names = "--access-token-file", paramLabel = "FILE", description = "File holding an OAuth access token.")
    Path accessTokenFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "Upper bound of one API call (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The one account these flags describe. */
    AccountSpec account(String name, Map<String, String> environment) {
        return new AccountSpec(name, apiUri(), apiVersion, credentials(environment), null, null, timeout);
    }

    /** Whether any single-account credential flag was given (they do not mix with --accounts). */
    boolean credentialFlagsGiven() {
        return personalKey != null || accessToken != null || accessTokenFile != null;
    }

    /** Whether the environment holds a personal key or access token. */
    boolean credentialsInEnvironment(Map<String, String> environment) {
        return !environment.getOrDefault(KEY_VARIABLE, "").isBlank() || !environment.getOrDefault(TOKEN_VARIABLE, "").isBlank();
    }

    java.net.URI apiUri() {
        try {
            java.net.URI uri = java.net.URI.create(apiUrl.trim());
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("the API URL '" + apiUrl + "' is not a valid absolute URL");
        }
    }

    Credentials credentials(Map<String, String> environment) {
        int given = (personalKey != null ? 1 : 0) + (accessToken != null ? 1 : 0) + (accessTokenFile != null ? 1 : 0);
        if (given > 1) {
            throw new UsageException("give only one of --personal-key, --access-token and --access-token-file");
        }
        if (personalKey != null) {
            return Credentials.personalKey(personalKey);
        }
        if (accessToken != null) {
            return Credentials.bearerToken(accessToken);
        }
        if (accessTokenFile != null) {
            return Credentials.bearerToken(readToken(accessTokenFile));
        }
        String key = environment.get(KEY_VARIABLE);
        if (key != null && !key.isBlank()) {
            return Credentials.personalKey(key);
        }
        String token = environment.get(TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            return Credentials.bearerToken(token);
        }
        throw new UsageException("no credentials: pass --personal-key (or set " + KEY_VARIABLE + ") or --access-token");
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new UsageException("the access token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UsageException("cannot read the access token file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
