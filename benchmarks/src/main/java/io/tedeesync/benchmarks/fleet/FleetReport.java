package io.tedeesync.benchmarks.fleet;

import io.tedeesync.benchmarks.scale.WindowCpu;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The fleet benchmark's report: per database what was set up, checked and measured, then one table of both. Stateless. */
final class FleetReport {
    /** What one database's run found. */
    record DatabaseRun(String database, int locks, int accounts, String busySerial, int events, double seedSeconds,
            double loadedSeconds, Map<String, String> verdicts, Map<String, String> sizes, List<RouteDriver.Measurement> measurements,
            WindowCpu.Used cpu, Profile profile) {
    }

    /** The JFR of one route: its name, its clients, how long, how many operations, the summary and (PostgreSQL) the top statements. */
    record Profile(String route, int clients, double seconds, int operations, List<String> summary, List<String> statements) {
    }

    private FleetReport() {
    }

    static void print(DatabaseRun run, PrintStream out) {
        out.printf(Locale.ROOT, "%n== %s: %,d locks on %d accounts; busy lock %s: %,d events seeded in %.1f s; serve listed every lock %.1f s"
                + " after its start%n", run.database(), run.locks(), run.accounts(), run.busySerial(), run.events(), run.seedSeconds(),
                run.loadedSeconds());
        out.println("| route | clients | ops | statuses | answer | p50 ms | p90 ms | p99 ms | max ms | ops/s | service CPU ms/op"
                + (run.database().equals("postgres") ? " | PostgreSQL CPU ms/op" : "") + " | check |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---" + (run.database().equals("postgres") ? "|---" : "") + "|---|");
        for (RouteDriver.Measurement measurement : run.measurements()) {
            Route route = measurement.route();
            int ops = measurement.millis().count();
            out.printf(Locale.ROOT, "| %s | %d | %,d | %s | %s | %s | %s | %s | %s | %,.1f | %.1f%s | %s |%n", route.label(),
                    measurement.concurrency(), ops, statuses(measurement.statuses()), size(measurement.bytes(), ops),
                    ms(measurement.millis().at(50)), ms(measurement.millis().at(90)), ms(measurement.millis().at(99)),
                    ms(measurement.millis().max()), measurement.perSecond(), 1000 * measurement.serviceCpu() / ops,
                    run.database().equals("postgres") ? String.format(Locale.ROOT, " | %.1f", 1000 * measurement.helperCpu() / ops) : "",
                    run.verdicts().getOrDefault(route.name(), "?"));
        }
        run.verdicts().forEach((route, verdict) -> {
            if (run.measurements().stream().noneMatch(measurement -> measurement.route().name().equals(route))) {
                out.printf("| %s | not measured: %s |%n", route, verdict);
            }
        });
        out.println("answers: " + run.sizes().entrySet().stream().filter(entry -> !entry.getValue().isEmpty())
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining("; ")));
        WindowCpu.Used cpu = run.cpu();
        out.printf(Locale.ROOT, "CPU while measuring (%.0f s): service %.0f %% of a core, %s %.0f %%, rig %.0f %%, machine %.2f of %d cores busy,"
                + " other work %.2f cores%s%n", cpu.seconds(), 100 * cpu.cores(cpu.service()),
                run.database().equals("postgres") ? "PostgreSQL" : "no database process", 100 * cpu.cores(cpu.helper()),
                100 * cpu.cores(cpu.rig()), cpu.cores(cpu.machineBusy()), Runtime.getRuntime().availableProcessors(),
                cpu.cores(cpu.otherWork()), cpu.cores(cpu.otherWork()) > 0.15 ? " (a BUSY machine: read the figures with that)" : "");
        Profile profile = run.profile();
        if (profile != null) {
            out.printf(Locale.ROOT, "profile of %s (JFR settings=profile, %d client(s), %.0f s, %,d operations):%n", profile.route(),
                    profile.clients(), profile.seconds(), profile.operations());
            profile.summary().forEach(line -> out.println("  " + line));
            if (!profile.statements().isEmpty()) {
                out.println("  PostgreSQL statements meanwhile (pg_stat_statements, by total time):");
                profile.statements().forEach(line -> out.println("    " + line));
            }
        }
    }

    /** One row per route: p50 / p99 (ms) and ops/s of each database, one client and the concurrent level. */
    static void compare(List<DatabaseRun> runs, int concurrency, PrintStream out) {
        if (runs.isEmpty()) {
            return;
        }
        StringBuilder header = new StringBuilder("| route |");
        StringBuilder rule = new StringBuilder("|---|");
        for (DatabaseRun run : runs) {
            header.append(String.format(Locale.ROOT, " %s, 1 client: p50 / p99 ms | %s, %d clients: p50 / p99 ms, ops/s |", run.database(),
                    run.database(), concurrency));
            rule.append("---|---|");
        }
        out.println();
        out.println(header);
        out.println(rule);
        List<String> names = new ArrayList<>();
        runs.forEach(run -> run.measurements().forEach(measurement -> {
            if (!names.contains(measurement.route().name())) {
                names.add(measurement.route().name());
            }
        }));
        for (String name : names) {
            StringBuilder row = new StringBuilder("| ").append(label(runs, name)).append(" |");
            for (DatabaseRun run : runs) {
                row.append(cell(run, name, 1, false)).append(cell(run, name, concurrency, true));
            }
            out.println(row);
        }
    }

    private static String label(List<DatabaseRun> runs, String name) {
        for (DatabaseRun run : runs) {
            for (RouteDriver.Measurement measurement : run.measurements()) {
                if (measurement.route().name().equals(name)) {
                    return measurement.route().label();
                }
            }
        }
        return name;
    }

    private static String cell(DatabaseRun run, String name, int concurrency, boolean rate) {
        for (RouteDriver.Measurement measurement : run.measurements()) {
            if (measurement.route().name().equals(name) && measurement.concurrency() == concurrency) {
                return String.format(Locale.ROOT, " %s / %s%s |", ms(measurement.millis().at(50)), ms(measurement.millis().at(99)),
                        rate ? String.format(Locale.ROOT, ", %,.0f", measurement.perSecond()) : "");
            }
        }
        return " - |";
    }

    private static String statuses(Map<Integer, Integer> statuses) {
        return statuses.entrySet().stream().map(entry -> (entry.getKey() < 0 ? "failed" : entry.getKey()) + "×" + entry.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String size(long bytes, int operations) {
        double each = operations == 0 ? 0 : (double) bytes / operations;
        return each >= 1e6 ? String.format(Locale.ROOT, "%.2f MB", each / 1e6)
                : each >= 1e3 ? String.format(Locale.ROOT, "%.1f kB", each / 1e3) : String.format(Locale.ROOT, "%.0f B", each);
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis) : String.format(Locale.ROOT, "%.2f", millis);
    }
}
