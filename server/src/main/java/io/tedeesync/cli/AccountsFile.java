package io.tedeesync.cli;

import io.tedeesync.accounts.AccountSpec;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tedeesync.client.Credentials;
import io.tedeesync.client.OAuthRefreshTokenSupplier;
import io.tedeesync.sync.SyncSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code --accounts FILE}: several accounts in YAML ({@code .yml}/{@code .yaml}) or JSON. Each entry has a
 * {@code name} and one way to authenticate: {@code personalKey} or {@code personalKeyEnv} (the name of an
 * environment variable holding it), {@code accessToken} or {@code accessTokenFile}, or an OAuth
 * {@code refreshToken} with {@code tokenUrl} (and {@code clientId}, {@code clientSecret}). Optional:
 * {@code syncInterval}, {@code userIdentity}, {@code apiUrl}, {@code apiVersion}. Unknown fields are
 * refused (a typo must not silently drop a setting); errors never quote a secret.
 */
final class AccountsFile {

    /** One entry as written. */
    record Entry(String name, String personalKey, String personalKeyEnv, String accessToken, String accessTokenFile,
            String refreshToken, String tokenUrl, String clientId, String clientSecret, String syncInterval,
            String userIdentity, String apiUrl, String apiVersion) {
        @Override
        public String toString() {
            return "Entry[" + name + ", secrets hidden]";
        }
    }

    record Document(List<Entry> accounts) {
    }

    private AccountsFile() {
    }

    static List<AccountSpec> read(Path file, URI defaultApiUrl, String defaultApiVersion, Map<String, String> environment) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = (name.endsWith(".yml") || name.endsWith(".yaml") ? YAMLMapper.builder() : JsonMapper.builder())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        Document document;
        try {
            document = mapper.readValue(Files.readString(file, StandardCharsets.UTF_8), Document.class);
        } catch (JsonMappingException e) {
            throw new UsageException("the accounts file " + file + " is not valid: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new UsageException("cannot read the accounts file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (document == null || document.accounts() == null || document.accounts().isEmpty()) {
            throw new UsageException("the accounts file " + file + " lists no accounts (expected 'accounts: [...]')");
        }
        List<AccountSpec> accounts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Entry entry : document.accounts()) {
            if (entry == null || entry.name() == null || entry.name().isBlank()) {
                throw new UsageException("every account in " + file + " needs a name");
            }
            if (!names.add(entry.name())) {
                throw new UsageException("the account name '" + entry.name() + "' appears twice in " + file);
            }
            accounts.add(spec(entry, file, defaultApiUrl, defaultApiVersion, environment));
        }
        return accounts;
    }

    private static AccountSpec spec(Entry entry, Path file, URI defaultApiUrl, String defaultApiVersion, Map<String, String> environment) {
        String where = "account '" + entry.name() + "' in " + file;
        Duration interval = null;
        if (entry.syncInterval() != null) {
            try {
                interval = DurationConverter.parse(entry.syncInterval());
            } catch (RuntimeException e) {
                throw new UsageException(where + ": syncInterval " + e.getMessage());
            }
            SyncSettings.intervalProblem(interval).ifPresent(problem -> {
                throw new UsageException(where + ": syncInterval " + problem);
            });
        }
        URI apiUrl;
        try {
            apiUrl = entry.apiUrl() == null ? defaultApiUrl : URI.create(entry.apiUrl());
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + ": apiUrl is not a URL");
        }
        String version = entry.apiVersion() == null ? defaultApiVersion : entry.apiVersion();
        return new AccountSpec(entry.name(), apiUrl, version, credentials(entry, file, where, environment), interval, entry.userIdentity());
    }

    /**
     * Where a refresh token the server rotated is kept, beside the accounts file and readable by its
     * owner only: after a restart the configured one may no longer be valid.
     */
    static Path rotatedTokenFile(Path accountsFile, String account) {
        Path dir = accountsFile.toAbsolutePath().getParent();
        return dir.resolve("." + accountsFile.getFileName() + "." + account.replaceAll("[^A-Za-z0-9_.-]", "_") + ".refresh-token");
    }

    /** The rotated token when it was written after the accounts file last changed, else the configured one. */
    private static String newestRefreshToken(String configured, Path rotated, Path accountsFile) throws IOException {
        if (Files.isRegularFile(rotated)
                && Files.getLastModifiedTime(rotated).compareTo(Files.getLastModifiedTime(accountsFile)) > 0) {
            String token = Files.readString(rotated, StandardCharsets.UTF_8).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        return configured;
    }

    /**
     * Writes the token to a temporary file that is owner-only from its creation (a fresh name, created
     * exclusively, so nothing prepared in the directory can catch the write), flushes it to the disk, and
     * moves it into place. The old refresh token is spent: losing the new one would lock the account out.
     */
    private static void keepRotatedToken(Path file, String token) {
        Path temporary = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean created = false;
        try {
            try (FileChannel channel = createOwnerOnly(temporary)) {
                created = true;
                ByteBuffer bytes = ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AccountsFile.class).warn(
                    "could not keep the rotated refresh token in {} ({}); a restart will use the configured one", file, e.getClass().getSimpleName());
            if (created) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // an owner-only leftover; nothing better to do
                }
            }
        }
    }

    private static FileChannel createOwnerOnly(Path path) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return FileChannel.open(path, options); // Windows: the directory's permissions apply
        }
    }

    private static Credentials credentials(Entry entry, Path file, String where, Map<String, String> environment) {
        int ways = count(entry.personalKey()) + count(entry.personalKeyEnv()) + count(entry.accessToken())
                + count(entry.accessTokenFile()) + count(entry.refreshToken());
        if (ways != 1) {
            throw new UsageException(where + ": give exactly one of personalKey, personalKeyEnv, accessToken, accessTokenFile, refreshToken");
        }
        try {
            if (entry.personalKey() != null) {
                return Credentials.personalKey(entry.personalKey());
            }
            if (entry.personalKeyEnv() != null) {
                String key = environment.get(entry.personalKeyEnv());
                if (key == null || key.isBlank()) {
                    throw new UsageException(where + ": the environment variable " + entry.personalKeyEnv() + " is not set");
                }
                return Credentials.personalKey(key);
            }
            if (entry.accessToken() != null) {
                return Credentials.bearerToken(entry.accessToken());
            }
            if (entry.accessTokenFile() != null) {
                String token = Files.readString(Path.of(entry.accessTokenFile()), StandardCharsets.UTF_8).trim();
                return Credentials.bearerToken(token);
            }
            if (entry.tokenUrl() == null) {
                throw new UsageException(where + ": a refreshToken needs a tokenUrl");
            }
            Path rotated = rotatedTokenFile(file, entry.name());
            return Credentials.bearer(OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(URI.create(entry.tokenUrl()))
                    .clientId(entry.clientId())
                    .clientSecret(entry.clientSecret())
                    .refreshToken(newestRefreshToken(entry.refreshToken(), rotated, file))
                    .onRefreshTokenRotated(token -> keepRotatedToken(rotated, token))
                    .build());
        } catch (IOException e) {
            throw new UsageException(where + ": cannot read accessTokenFile (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(where + ": " + e.getMessage());
        }
    }

    private static int count(String value) {
        return value == null ? 0 : 1;
    }

}
