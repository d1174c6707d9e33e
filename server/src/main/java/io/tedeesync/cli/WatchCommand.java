package io.tedeesync.cli;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.accounts.AccountClients;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.ChangeBatch;
import io.tedeesync.sync.LockEvent;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.SyncEvent;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.TaskScheduler;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tedee-sync watch}: sync in the foreground and print each change as one line, until Ctrl-C. No store, no HTTP. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Sync in the foreground and print each change as it happens.")
final class WatchCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @ParentCommand
    private TedeeSyncCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private AccountOptions accounts;

    @Override
    public Integer call() throws Exception {
        accounts.checkInterval();
        PrintWriter out = spec.commandLine().getOut();
        AccountClients clients = new AccountClients(java.time.Clock.systemUTC());
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "tedee-sync-watch");
            thread.setDaemon(true);
            return thread;
        });
        SyncEngine.Builder builder = SyncEngine.builder()
                .scheduler(TaskScheduler.of(executor))
                .settings(SyncSettings.defaults().withSyncInterval(accounts.syncInterval))
                .listener(batch -> print(batch, out));
        for (AccountSpec account : accounts.accounts(parent.environment())) {
            builder.account(new AccountConfig(account.name(), clients.builder(account), account.syncInterval(), account.userIdentity()));
        }
        SyncEngine engine = builder.build();
        java.util.concurrent.CompletableFuture<String> allFailed = new java.util.concurrent.CompletableFuture<>();
        engine.addListener(batch -> {
            if (batch.events().stream().anyMatch(io.tedeesync.sync.AccountEvent.AccountFailed.class::isInstance)
                    && engine.accounts().stream().allMatch(a -> a.health() == io.tedeesync.sync.AccountHealth.FAILED)) {
                allFailed.complete(batch.events().get(0) instanceof io.tedeesync.sync.AccountEvent.AccountFailed failed
                        ? failed.reason() : "every account failed");
            }
        });
        engine.start();
        Foreground.runUntilStopped(() -> {
            engine.close();
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            clients.close();
            out.flush();
        }, allFailed);
        if (allFailed.isDone()) {
            spec.commandLine().getErr().println("tedee-sync: nothing left to watch: " + allFailed.join());
            return TedeeSyncCommand.EXIT_AUTHENTICATION;
        }
        return 0;
    }

    private static void print(ChangeBatch batch, PrintWriter out) {
        Map<String, MirroredLock> locks = new HashMap<>();
        batch.changed().forEach(lock -> locks.put(lock.serialNumber(), lock));
        for (SyncEvent event : batch.events()) {
            out.println(line(event, locks));
        }
        out.flush();
    }

    static String line(SyncEvent event, Map<String, MirroredLock> locks) {
        String when = TIME.format(event instanceof LockEvent lockEvent ? lockEvent.occurredAt() : event.observedAt());
        String what = io.tedeesync.server.ChangeDescriptions.describe(event);
        if (event instanceof LockEvent lockEvent) {
            MirroredLock lock = locks.get(lockEvent.serialNumber());
            String name = lock != null ? lock.name() : lockEvent instanceof LockEvent.Added added ? added.lock().name() : "";
            return when + "  " + name + " (" + lockEvent.serialNumber() + ")  " + what;
        }
        return when + "  account " + event.account() + "  " + what;
    }
}
