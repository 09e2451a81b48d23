package org.scxjavaland.sim;

import java.util.List;
import java.util.Locale;

import org.scxjavaland.link.LinkCounters;

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
 * @param recorded for a replayed trace, what the recorded machine measured per group (the same
 *     groups); empty otherwise
 * @param topology where wake-ups ran and what the topology cost, on a machine with a topology;
 *     null on a flat one
 * @param scheduler what the scheduling thread cost over the same time, or null when it is free
 *     (its costs 0, see {@link SimOptions#schedRoundNs()})
 */
public record SimReport(String workload, int cpus, long seed, long elapsedNs, List<GroupReport> groups,
        LinkCounters counters, long taskRuns, List<RecordedGroup> recorded, TopologyFigures topology,
        SchedulerReport scheduler) {

    public SimReport {
        groups = List.copyOf(groups);
        recorded = List.copyOf(recorded);
    }

    /**
     * A report of a workload that is not a replayed trace, on a flat machine whose scheduler is free
     * (as reports of version 1.1 had).
     */
    public SimReport(String workload, int cpus, long seed, long elapsedNs, List<GroupReport> groups,
            LinkCounters counters, long taskRuns) {
        this(workload, cpus, seed, elapsedNs, groups, counters, taskRuns, List.of(), null, null);
    }

    /**
     * What the recorded machine measured for one group of a replayed trace (the trace's
     * wake-to-run latencies, in a histogram of the same precision as the simulated ones).
     *
     * @param name the group's name, as in {@link #groups()}
     * @param wakeups recorded wake-ups with a latency
     * @param p50Ns median recorded wake-to-run latency, ns
     * @param p99Ns 99th percentile, ns
     */
    public record RecordedGroup(String name, long wakeups, long p50Ns, long p99Ns) {
    }

    /**
     * Where the wake-ups of a machine with a topology ran and what the topology cost (see
     * {@link Topology}), since the workload was loaded or a policy was last activated. A wake-up of a
     * task that ran before counts once, by where it ran compared with the CPU it last ran on.
     *
     * @param topology the machine's topology, as {@link Topology#parse} reads it
     * @param idlePick {@code topology} or {@code flat} ({@link SimOptions.IdlePick})
     * @param numaLocal the {@code numa_local} option
     * @param wakeupsSameCpu wake-ups that ran on the CPU the task last ran on
     * @param wakeupsSameCore on that CPU's SMT sibling
     * @param wakeupsSameLlc on another core of the same LLC
     * @param wakeupsOtherLlc in another LLC of the same node
     * @param wakeupsOtherNode on another node
     * @param smtSharedNs CPU time run at reduced speed beside a busy SMT sibling, ns
     * @param smtLostNs the work that time lacked against full speed, ns
     * @param llcRefills times a task started in another LLC of its node than the one it last ran in
     * @param nodeRefills times a task started on another node
     * @param refillNs extra work the refills cost, ns
     */
    public record TopologyFigures(String topology, String idlePick, boolean numaLocal, long wakeupsSameCpu,
            long wakeupsSameCore, long wakeupsSameLlc, long wakeupsOtherLlc, long wakeupsOtherNode, long smtSharedNs,
            long smtLostNs, long llcRefills, long nodeRefills, long refillNs) {

        /** Wake-ups counted (of tasks that ran before). */
        public long wakeups() {
            return wakeupsSameCpu + wakeupsSameCore + wakeupsSameLlc + wakeupsOtherLlc + wakeupsOtherNode;
        }
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
        if (!recorded.isEmpty()) {
            appendRecorded(out);
        }
        if (topology != null) {
            TopologyFigures t = topology;
            long n = Math.max(1, t.wakeups());
            out.append(String.format(Locale.ROOT, "topology %s, idle pick %s%s%n", t.topology, t.idlePick,
                    t.numaLocal ? ", numa_local" : ""));
            out.append(String.format(Locale.ROOT,
                    "wake-ups %d: same cpu %d (%.1f%%), smt sibling %d (%.1f%%), same llc %d (%.1f%%), other llc %d"
                            + " (%.1f%%), other node %d (%.1f%%)%n",
                    t.wakeups(), t.wakeupsSameCpu, 100.0 * t.wakeupsSameCpu / n, t.wakeupsSameCore,
                    100.0 * t.wakeupsSameCore / n, t.wakeupsSameLlc, 100.0 * t.wakeupsSameLlc / n, t.wakeupsOtherLlc,
                    100.0 * t.wakeupsOtherLlc / n, t.wakeupsOtherNode, 100.0 * t.wakeupsOtherNode / n));
            out.append(String.format(Locale.ROOT,
                    "smt: %.3f cpu-s beside a busy sibling (%.1f%% of the machine's cpu time), %.3f s of work lost; cache refills:"
                            + " llc %d, node %d, %.3f s of extra work%n",
                    t.smtSharedNs / 1e9, elapsedNs > 0 ? 100.0 * t.smtSharedNs / ((double) elapsedNs * cpus) : 0,
                    t.smtLostNs / 1e9, t.llcRefills, t.nodeRefills, t.refillNs / 1e9));
        }
        return out.toString();
    }

    /** The recorded latencies next to the simulated ones, with the ratio simulated / recorded. */
    private void appendRecorded(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "recorded on the traced machine, next to this run:%n"));
        out.append(String.format(Locale.ROOT, "%-14s %9s %10s %10s %10s %10s %9s %9s%n", "group", "rec-wakes",
                "rec-p50", "sim-p50", "rec-p99", "sim-p99", "p50-ratio", "p99-ratio"));
        for (RecordedGroup r : recorded) {
            GroupReport g = group(r.name);
            boolean sim = g != null && g.latencySamples > 0;
            boolean rec = r.wakeups > 0;
            out.append(String.format(Locale.ROOT, "%-14s %9d %10s %10s %10s %10s %9s %9s%n", r.name, r.wakeups,
                    rec ? micros(r.p50Ns) : "-", sim ? micros(g.p50Ns) : "-",
                    rec ? micros(r.p99Ns) : "-", sim ? micros(g.p99Ns) : "-",
                    rec && sim ? ratio(g.p50Ns, r.p50Ns) : "-", rec && sim ? ratio(g.p99Ns, r.p99Ns) : "-"));
        }
    }

    private static String ratio(long simulated, long recorded) {
        return recorded > 0 ? String.format(Locale.ROOT, "%.2f", (double) simulated / recorded) : "-";
    }

    private static String micros(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }

    @Override
    public String toString() {
        return toTable();
    }
}
