package io.tedeesync.cli;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.sync.SyncSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which account(s) to mirror and how often: one by flags, or several by {@code --accounts FILE}. Used by serve and watch. */
final class AccountOptions {

    @Mixin
    ApiOptions api;

    @Option(names = "--accounts", paramLabel = "FILE", description = "Several accounts, YAML or JSON (see the README).")
    Path accountsFile;

    @Option(names = "--account-name", defaultValue = "default", description = "Name of the single account given by flags (default: ${DEFAULT-VALUE}).")
    String accountName;

    @Option(names = "--sync-interval", paramLabel = "DURATION", defaultValue = "20s",
            description = "How often to sync all locks of an account; never below 10s (default: ${DEFAULT-VALUE}).")
    Duration syncInterval;

    /** The accounts the flags or file declare; none when none are given and accounts may be added at runtime. */
    List<AccountSpec> accounts(Map<String, String> environment, boolean runtimeAccounts) {
        if (runtimeAccounts && accountsFile == null && !api.credentialFlagsGiven() && !api.credentialsInEnvironment(environment)) {
            return List.of();
        }
        return accounts(environment);
    }

    List<AccountSpec> accounts(Map<String, String> environment) {
        if (accountsFile != null) {
            if (api.credentialFlagsGiven()) {
                throw new UsageException("--accounts replaces --personal-key/--access-token: give one or the other");
            }
            return AccountsFile.read(accountsFile, api.apiUri(), api.apiVersion, environment).stream()
                    .map(account -> account.withRequestTimeout(api.timeout)).toList();
        }
        return List.of(api.account(accountName, environment));
    }

    void checkInterval() {
        SyncSettings.intervalProblem(syncInterval).ifPresent(problem -> {
            throw new UsageException("--sync-interval " + problem);
        });
    }
}
