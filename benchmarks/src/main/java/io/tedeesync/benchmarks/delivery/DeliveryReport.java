package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.scale.Durations;
import io.tedeesync.benchmarks.scale.Percentiles;
import io.tedeesync.benchmarks.scale.ProcFs;
import io.tedeesync.benchmarks.scale.WindowCpu;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run, from what the rig recorded: the changes made, what reached each endpoint and MQTT,
 * the delays of the window's changes, what was lost, the queue left, the CPU. Printed as lines and as
 * markdown rows for the README. Not thread-safe; made once, after the run.
 */
final class DeliveryReport {
    /** What the run produced, handed over in one piece. */
    record Run(DeliveryOptions options, Instant startedAt, double loadedSeconds, ChangeDriver.Phase warmup, ChangeDriver.Phase window,
            double windowSeconds, ChangeLedger ledger, List<Receiver> receivers, StateSubscriber subscriber, Double drainedSeconds,
            double drainDeliveriesPerSecond,
            Map<String, Long> pendingAtEnd, WindowCpu.Used cpu, String health) {
    }

    private final Run run;
    private final List<Change> changes;
    private final List<Change> measured;

    DeliveryReport(Run run) {
        this.run = run;
        this.changes = run.ledger().all();
        this.measured = changes.stream().filter(Change::measured).toList();
    }

    /** Changes that did not reach some endpoint, summed over the endpoints. */
    long lostWebhooks() {
        long lost = 0;
        for (int sink = 0; sink < run.ledger().endpoints(); sink++) {
            lost += notReached(changes, sink);
        }
        return lost;
    }

    /** Deliveries a receiver would refuse: bad signature, or webhook-id not the event's id. */
    long refused() {
        return run.receivers().stream().mapToLong(receiver -> receiver.badSignatures() + receiver.badIds()).sum();
    }

    void print(PrintStream out) {
        DeliveryOptions options = run.options();
        ChangeLedger ledger = run.ledger();
        int endpoints = ledger.endpoints();
        double window = run.windowSeconds();
        out.printf(Locale.ROOT, "delivery: %s, %,d locks, %d endpoints + MQTT, rate %s, warm-up %s, window %s, jar %s%n",
                run.startedAt(), ledger.locks(), endpoints, options.describeRate(), Durations.format(options.warmup()),
                Durations.format(options.duration()), options.jar());
        out.printf(Locale.ROOT, "service: every lock listed %.1f s after start; JVM options %s%n", run.loadedSeconds(),
                options.serveJavaOptions().isEmpty() ? "(none)" : String.join(" ", options.serveJavaOptions()));
        phase(out, "warm-up", run.warmup());
        phase(out, "window", run.window());

        out.println("outbound webhooks (window's changes: delay from the inbound webhook's send to the receiver):");
        List<Double> all = new ArrayList<>();
        long inWindow = 0;
        for (int sink = 0; sink < endpoints; sink++) {
            Receiver receiver = run.receivers().get(sink);
            double[] delays = delays(sink);
            for (double delay : delays) {
                all.add(delay);
            }
            inWindow += receiver.inWindow();
            Percentiles percentiles = new Percentiles(delays);
            out.printf(Locale.ROOT, "  endpoint %2d: %,d received (%s), %,.1f/s in the window, %,d of %,d window changes, not arrived %,d (all changes),"
                    + " duplicates %,d, unmatched %,d, signatures verified %,d bad %d, bad ids %d; p50 %s p99 %s max %s%n",
                    sink + 1, receiver.received(), receiver.byType(), receiver.inWindow() / window, percentiles.count(), measured.size(),
                    notReached(changes, sink), ledger.duplicates(sink), ledger.unmatched(sink), receiver.verified(),
                    receiver.badSignatures(), receiver.badIds(), ms(percentiles.at(50)), ms(percentiles.at(99)), ms(percentiles.max()));
            if (receiver.firstProblem() != null) {
                out.println("    first problem: " + receiver.firstProblem());
            }
        }
        Percentiles outbound = new Percentiles(all.stream().mapToDouble(Double::doubleValue).toArray());
        out.printf(Locale.ROOT, "  all endpoints: %,.1f deliveries/s in the window (%,.1f per endpoint); delay p50 %s p90 %s p99 %s max %s;"
                + " not arrived after the drain %,d%n", inWindow / window, inWindow / window / Math.max(1, endpoints), ms(outbound.at(50)), ms(outbound.at(90)),
                ms(outbound.at(99)), ms(outbound.max()), lostWebhooks());

        int mqtt = ledger.mqttSink();
        Percentiles mqttDelays = new Percentiles(delays(mqtt));
        out.printf(Locale.ROOT, "MQTT: %,d state messages (%,.1f/s in the window), %,d of %,d window changes seen, superseded %,d (all changes),"
                + " unmatched %,d (retained at subscription, repeats), locks whose last state is wrong %d; delay p50 %s p90 %s p99 %s max %s%n",
                run.subscriber().messages(), run.subscriber().inWindow() / window, mqttDelays.count(), measured.size(),
                ledger.mqttSuperseded(), ledger.unmatched(mqtt), ledger.mqttWrongFinalStates(), ms(mqttDelays.at(50)), ms(mqttDelays.at(90)),
                ms(mqttDelays.at(99)), ms(mqttDelays.max()));

        long pending = run.pendingAtEnd().values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "drain: %s, %,.1f deliveries/s meanwhile (all endpoints); pending deliveries at the end %,d %s%n",
                run.drainedSeconds() == null ? "NOT everything arrived within " + Durations.format(options.drainTimeout())
                        : String.format(Locale.ROOT, "everything arrived %.1f s after the window", run.drainedSeconds()),
                run.drainDeliveriesPerSecond(), pending, run.pendingAtEnd().values());

        WindowCpu.Used cpu = run.cpu();
        out.printf(Locale.ROOT, "CPU in the window (%.0f s): service %.0f %% of a core, broker %.0f %%, rig %.0f %%, machine %.2f of 2 cores busy,"
                + " other work %.2f cores%n", cpu.seconds(), 100 * cpu.cores(cpu.service()), 100 * cpu.cores(cpu.helper()),
                100 * cpu.cores(cpu.rig()), cpu.cores(cpu.machineBusy()), cpu.cores(cpu.otherWork()));
        StringBuilder groups = new StringBuilder("  service threads:");
        for (ProcFs.ThreadGroup group : cpu.serviceThreads()) {
            if (cpu.cores(group.cpuSeconds()) >= 0.005) {
                groups.append(String.format(Locale.ROOT, " %s (%d) %.1f %%;", group.name(), group.threads(), 100 * cpu.cores(group.cpuSeconds())));
            }
        }
        out.println(groups);
        long deliveredInWindow = inWindow;
        if (deliveredInWindow > 0) {
            out.printf(Locale.ROOT, "  service CPU per outbound delivery in the window (MQTT and inbound included): %.0f µs%n",
                    cpu.service() * 1e6 / deliveredInWindow);
        }
        out.println("health at the end: " + abbreviate(run.health(), 600));

        out.println();
        out.println("| date | rate asked | changes in window (/s) | deliveries/s, all endpoints (per endpoint) | webhook delay p50 / p90 / p99 / max"
                + " | MQTT msgs/s | MQTT delay p50 / p90 / p99 / max | not arrived (webhooks + MQTT locks) | duplicates | pending at end | drained after | service CPU |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        long duplicates = 0;
        for (int sink = 0; sink < endpoints; sink++) {
            duplicates += ledger.duplicates(sink);
        }
        out.printf(Locale.ROOT, "| %s | %s | %,d (%,.0f) | %,.0f (%,.0f) | %s / %s / %s / %s | %,.0f | %s / %s / %s / %s | %,d + MQTT %d | %,d | %,d | %s | %.0f %% |%n",
                run.startedAt().toString().substring(0, 16).replace('T', ' '), options.describeRate(), run.window().sent(),
                run.window().sent() / window, inWindow / window, inWindow / window / Math.max(1, endpoints), ms(outbound.at(50)), ms(outbound.at(90)),
                ms(outbound.at(99)), ms(outbound.max()), run.subscriber().inWindow() / window, ms(mqttDelays.at(50)), ms(mqttDelays.at(90)),
                ms(mqttDelays.at(99)), ms(mqttDelays.max()), lostWebhooks(), ledger.mqttWrongFinalStates(), duplicates, pending,
                run.drainedSeconds() == null ? "not in " + Durations.format(options.drainTimeout())
                        : String.format(Locale.ROOT, "%.1f s", run.drainedSeconds()), 100 * cpu.cores(cpu.service()));
    }

    private static void phase(PrintStream out, String name, ChangeDriver.Phase phase) {
        out.printf(Locale.ROOT, "inbound %s: %,d webhooks sent (%,.1f/s), %,d applied, other %s, at most %.1f ms behind schedule,"
                + " mean answer %.2f ms%s%n", name, phase.sent(), phase.perSecond(), phase.acknowledged(), phase.notApplied(),
                phase.maxBehindMillis(), phase.sent() == 0 ? 0 : phase.answerNanos() / 1e6 / phase.sent(),
                phase.firstFailure() == null ? "" : "; first: " + phase.firstFailure());
    }

    private double[] delays(int sink) {
        return measured.stream().filter(change -> change.reached(sink)).mapToDouble(change -> change.delayMillis(sink)).toArray();
    }

    private static long notReached(List<Change> changes, int sink) {
        return changes.stream().filter(change -> !change.reached(sink)).count();
    }

    private static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis < 10 ? String.format(Locale.ROOT, "%.1f ms", millis) : String.format(Locale.ROOT, "%,.0f ms", millis);
    }

    private static String abbreviate(String text, int length) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ");
        return line.length() <= length ? line : line.substring(0, length) + "...";
    }
}
