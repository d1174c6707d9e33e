package io.tedeesync.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the command line through {@link TedeeSyncCommand#execute}, with what it printed. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TedeeSyncCommand.execute(args, new PrintWriter(out), new PrintWriter(err), environment);
        return new CommandRun(code, out.toString(), err.toString());
    }

    static CommandRun of(String... args) {
        return of(Map.of(), args);
    }
}
