package io.tedeesync.benchmarks.scale;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * CPU over the measured window, from {@code /proc}: the service's process and its threads grouped by name
 * (the JVM's names from {@code jcmd Thread.print}), a helper of the rig's (the delivery benchmark's MQTT broker,
 * the fleet benchmark's PostgreSQL), this rig's JVM and the whole machine. Not thread-safe: {@link #start}
 * then {@link #end}, once.
 */
public final class WindowCpu {
    /** Seconds of CPU used in the window: the three parties, and the machine's busy time summed over cores. */
    public record Used(double seconds, double service, double helper, double rig, double machineBusy,
            List<ProcFs.ThreadGroup> serviceThreads) {
        public double cores(double value) {
            return seconds == 0 ? 0 : value / seconds;
        }

        /** Busy cores' time that none of the three used: other builds and tests on the shared machine. */
        public double otherWork() {
            return Math.max(0, machineBusy - service - helper - rig);
        }
    }

    private final long service;
    private final DoubleSupplier helper;
    private final long rig = ProcessHandle.current().pid();
    private long startNanos;
    private double serviceStart;
    private double helperStart;
    private double rigStart;
    private ProcFs.MachineCpu machineStart;
    private Map<Long, ProcFs.Task> threadsStart;

    /** @param helperCpuSeconds the helper's CPU seconds so far (e.g. {@code () -> ProcFs.cpuSeconds(pid)}); 0 when none */
    public WindowCpu(long servicePid, DoubleSupplier helperCpuSeconds) {
        this.service = servicePid;
        this.helper = helperCpuSeconds;
    }

    public void start() {
        threadsStart = ProcFs.tasks(service);
        machineStart = ProcFs.machine();
        serviceStart = ProcFs.cpuSeconds(service);
        helperStart = helper.getAsDouble();
        rigStart = ProcFs.cpuSeconds(rig);
        startNanos = System.nanoTime();
    }

    public Used end() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double serviceUsed = ProcFs.cpuSeconds(service) - serviceStart;
        double helperUsed = helper.getAsDouble() - helperStart;
        double rigUsed = ProcFs.cpuSeconds(rig) - rigStart;
        ProcFs.MachineCpu machine = ProcFs.machine();
        Map<Long, ProcFs.Task> threads = ProcFs.tasks(service);
        List<ProcFs.ThreadGroup> groups = ProcFs.groups(threadsStart, threads, Jcmd.threadNames(service));
        return new Used(seconds, serviceUsed, helperUsed, rigUsed, machine.busySeconds() - machineStart.busySeconds(), groups);
    }
}
