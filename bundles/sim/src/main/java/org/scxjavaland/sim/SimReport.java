package org.scxjavaland.sim;

import java.util.List;
import java.util.Locale;

import org.scxjavaland.api.Metrics;

/**
 * What users of the simulated machine felt, per task group, since the workload was loaded or a policy was last activated:
 * wake-to-run latency, CPU share, missed periods, throughput. A value: equal runs (same
 * workload, options, seed and policy) give equal reports.
 *
 * @param workload workload name
 * @param cpus CPUs of the machine
 * @param seed the machine's seed
 * @param elapsedNs virtual ns since the workload was loaded or a policy was last activated
 * @param groups one row per task group, in workload order
 * @param counters the kernel side's counters (cumulative since the machine started)
 * @param taskRuns times a task was put on a CPU since the workload was loaded or a policy was last activated
 * @param scheduler what the scheduling thread cost over the same time, or null when it is free
 *     (its costs 0, see {@link SimOptions#schedRoundNs()})
 */
public record SimReport(String workload, int cpus, long seed, long elapsedNs, List<GroupReport> groups,
        Metrics counters, long taskRuns, SchedulerReport scheduler) {

    public SimReport {
        groups = List.copyOf(groups);
    }

    /** A report of a machine whose scheduler is free (as reports of version 1.1 had). */
    public SimReport(String workload, int cpus, long seed, long elapsedNs, List<GroupReport> groups, Metrics counters,
            long taskRuns) {
        this(workload, cpus, seed, elapsedNs, groups, counters, taskRuns, null);
    }

    /**
     * What the user-space scheduling thread cost on the simulated machine.
     *
     * @param rounds rounds it ran on a CPU
     * @param tasksHandled records it dequeued plus records it dispatched in those rounds
     * @param cpuNs the CPU time those rounds took, ns (per round plus per task, see {@link SimOptions#schedRoundNs()})
     * @param preemptKicks times it preempted a running task to get a CPU for a woken task
     */
    public record SchedulerReport(long rounds, long tasksHandled, long cpuNs, long preemptKicks) {

        /** The figures since {@code start} (both cumulative). */
        public SchedulerReport since(SchedulerReport start) {
            return new SchedulerReport(rounds - start.rounds, tasksHandled - start.tasksHandled, cpuNs - start.cpuNs,
                    preemptKicks - start.preemptKicks);
        }

        /** cpuNs as a percentage of the machine's capacity over {@code elapsedNs} on {@code cpus} CPUs. */
        public double cpuSharePct(long elapsedNs, int cpus) {
            return elapsedNs > 0 ? 100.0 * cpuNs / ((double) elapsedNs * cpus) : 0;
        }
    }

    /**
     * One task group.
     *
     * @param name group name
     * @param kind hog, bursty or periodic (kthread groups say kthread)
     * @param tasks number of tasks
     * @param wakeups times a task of the group woke up
     * @param latencySamples wakeups that have run since (latency is measured when the task starts running)
     * @param p50Ns median wake-to-run latency, ns
     * @param p99Ns 99th percentile of the wake-to-run latency, ns
     * @param maxNs worst wake-to-run latency, ns
     * @param cpuNs CPU time the group used, ns
     * @param cpuSharePct cpuNs as a percentage of the machine's capacity (elapsed time times CPUs)
     * @param cpuPerSecond CPU-seconds per virtual second: the throughput of CPU hogs
     * @param periods period boundaries passed (periodic groups; 0 otherwise)
     * @param missedPeriods boundaries at which the task had not finished the previous period's work
     * @param p999Ns 99.9th percentile of the wake-to-run latency, ns
     * @param latencyCurve the wake-to-run latency at each of {@link #CURVE_PERCENTILES} (empty without samples)
     */
    public record GroupReport(String name, String kind, int tasks, long wakeups, long latencySamples, long p50Ns,
            long p99Ns, long maxNs, long cpuNs, double cpuSharePct, double cpuPerSecond, long periods,
            long missedPeriods, long p999Ns, List<LatencyPoint> latencyCurve) {

        public GroupReport {
            latencyCurve = List.copyOf(latencyCurve);
        }

        /** A row without the 99.9th percentile and the curve (as reports of version 1.0 had). */
        public GroupReport(String name, String kind, int tasks, long wakeups, long latencySamples, long p50Ns,
                long p99Ns, long maxNs, long cpuNs, double cpuSharePct, double cpuPerSecond, long periods,
                long missedPeriods) {
            this(name, kind, tasks, wakeups, latencySamples, p50Ns, p99Ns, maxNs, cpuNs, cpuSharePct, cpuPerSecond,
                    periods, missedPeriods, 0, List.of());
        }
    }

    /**
     * The percentiles of {@link GroupReport#latencyCurve}: dense in the tail, where policies differ
     * (100 is the worst wake-up).
     */
    public static final List<Double> CURVE_PERCENTILES = List.of(0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0,
            99.5, 99.9, 99.95, 99.99, 100.0);

    /**
     * One point of a latency distribution.
     *
     * @param percentile 0..100
     * @param ns wake-to-run latency at that percentile, ns
     */
    public record LatencyPoint(double percentile, long ns) {
    }

    /** The group of that name, or null. */
    public GroupReport group(String name) {
        for (GroupReport g : groups) {
            if (g.name.equals(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * The report as a plain-text table, one line per group, a line for the scheduling thread when it
     * is not free, then one line of kernel-side counters.
     */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "workload %s on %d CPUs, seed %d, %.3f s of virtual time%n",
                workload, cpus, seed, elapsedNs / 1e9));
        out.append(String.format(Locale.ROOT, "%-14s %-8s %5s %9s %10s %10s %10s %10s %6s %7s %8s %7s%n",
                "group", "kind", "tasks", "wakeups", "p50(us)", "p99(us)", "p99.9(us)", "max(us)", "cpu%", "cpu-s/s",
                "periods", "missed"));
        for (GroupReport g : groups) {
            boolean hasLatency = g.latencySamples > 0;
            boolean periodic = "periodic".equals(g.kind);
            out.append(String.format(Locale.ROOT, "%-14s %-8s %5d %9d %10s %10s %10s %10s %6.1f %7.3f %8s %7s%n",
                    g.name, g.kind, g.tasks, g.wakeups,
                    hasLatency ? micros(g.p50Ns) : "-", hasLatency ? micros(g.p99Ns) : "-",
                    hasLatency ? micros(g.p999Ns) : "-",
                    hasLatency ? micros(g.maxNs) : "-", g.cpuSharePct, g.cpuPerSecond,
                    periodic ? Long.toString(g.periods) : "-", periodic ? Long.toString(g.missedPeriods) : "-"));
        }
        if (scheduler != null) {
            out.append(String.format(Locale.ROOT,
                    "scheduler: %d rounds, %d tasks handled, cpu %.3f ms (%.2f%%), %d preempt kicks%n",
                    scheduler.rounds, scheduler.tasksHandled, scheduler.cpuNs / 1e6,
                    scheduler.cpuSharePct(elapsedNs, cpus), scheduler.preemptKicks));
        }
        out.append(String.format(Locale.ROOT,
                "dispatches: user %d, kernel %d, cancelled %d, bounced %d, failed %d, congested %d; task runs %d%n",
                counters.nrUserDispatches(), counters.nrKernelDispatches(), counters.nrCancelDispatches(),
                counters.nrBounceDispatches(), counters.nrFailedDispatches(), counters.nrSchedCongested(), taskRuns));
        return out.toString();
    }

    private static String micros(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }

    @Override
    public String toString() {
        return toTable();
    }
}
