package io.tedeesync.cli;

import io.tedeesync.server.ServiceSettings;
import io.tedeesync.server.TedeeSyncService;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tedee-sync serve}: the service, until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Mirror the account(s) and serve the HTTP API, event stream, webhooks, health and metrics.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    private TedeeSyncCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServeOptions options;

    @Override
    public Integer call() throws Exception {
        ServiceSettings settings = options.settings(parent.environment());
        TedeeSyncService service = TedeeSyncService.start(settings, Clock.systemUTC());
        spec.commandLine().getOut().println("tedee-sync serving on http://" + settings.bind() + ":" + service.port()
                + " (" + service.engine().accounts().size() + (service.engine().accounts().size() == 1 ? " account" : " accounts") + ")");
        spec.commandLine().getOut().flush();
        Foreground.runUntilStopped(service);
        return 0;
    }
}
