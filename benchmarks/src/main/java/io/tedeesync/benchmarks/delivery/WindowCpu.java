package io.tedeesync.benchmarks.delivery;

import io.tedeesync.benchmarks.scale.Jcmd;
import io.tedeesync.benchmarks.scale.ProcFs;
import java.util.List;
import java.util.Map;

/**
 * CPU over the measured window, from {@code /proc}: the service's process and its threads grouped by name
 * (the JVM's names from {@code jcmd Thread.print}), the broker, this rig's JVM (simulator, receivers,
 * subscriber, senders) and the whole machine. Not thread-safe: {@link #start} then {@link #end}, once.
 */
final class WindowCpu {
    /** Seconds of CPU used in the window: the three processes, and the machine's busy time summed over cores. */
    record Used(double seconds, double service, double broker, double rig, double machineBusy, List<ProcFs.ThreadGroup> serviceThreads) {
        double cores(double value) {
            return seconds == 0 ? 0 : value / seconds;
        }

        double otherWork() {
            return Math.max(0, machineBusy - service - broker - rig);
        }
    }

    private final long service;
    private final long broker;
    private final long rig = ProcessHandle.current().pid();
    private long startNanos;
    private double serviceStart;
    private double brokerStart;
    private double rigStart;
    private ProcFs.MachineCpu machineStart;
    private Map<Long, ProcFs.Task> threadsStart;

    WindowCpu(long servicePid, long brokerPid) {
        this.service = servicePid;
        this.broker = brokerPid;
    }

    void start() {
        threadsStart = ProcFs.tasks(service);
        machineStart = ProcFs.machine();
        serviceStart = ProcFs.cpuSeconds(service);
        brokerStart = ProcFs.cpuSeconds(broker);
        rigStart = ProcFs.cpuSeconds(rig);
        startNanos = System.nanoTime();
    }

    Used end() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double serviceUsed = ProcFs.cpuSeconds(service) - serviceStart;
        double brokerUsed = ProcFs.cpuSeconds(broker) - brokerStart;
        double rigUsed = ProcFs.cpuSeconds(rig) - rigStart;
        ProcFs.MachineCpu machine = ProcFs.machine();
        Map<Long, ProcFs.Task> threads = ProcFs.tasks(service);
        List<ProcFs.ThreadGroup> groups = ProcFs.groups(threadsStart, threads, Jcmd.threadNames(service));
        return new Used(seconds, serviceUsed, brokerUsed, rigUsed, machine.busySeconds() - machineStart.busySeconds(), groups);
    }
}
