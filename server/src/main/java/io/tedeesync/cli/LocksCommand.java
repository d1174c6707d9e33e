package io.tedeesync.cli;

import io.tedeesync.accounts.AccountClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tedeesync.client.Lock;
import io.tedeesync.client.TedeeClient;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tedee-sync locks}: get all locks of the account once and print them. */
@Command(name = "locks", mixinStandardHelpOptions = true,
        description = "Get all locks of the account once and print them (a table, or JSON with --json).")
final class LocksCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @ParentCommand
    private TedeeSyncCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ApiOptions api;

    @Option(names = "--json", description = "Print a JSON array of lock views instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        List<Lock> locks;
        try (AccountClients clients = new AccountClients(java.time.Clock.systemUTC())) {
            TedeeClient client;
            try {
                client = clients.builder(api.account("default", parent.environment())).build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UsageException(e.getMessage());
            }
            locks = client.getLocks().stream()
                    .sorted(Comparator.comparing(Lock::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Lock::serialNumber))
                    .toList();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(locks.stream().map(LockView::of).toList()));
        } else {
            LockTable.print(locks, out);
        }
        return 0;
    }
}
