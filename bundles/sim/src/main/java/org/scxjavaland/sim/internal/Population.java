package org.scxjavaland.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.sim.WorkloadException;
import org.scxjavaland.trace.TracedTask;

/**
 * The tasks of one loaded workload on a machine of a given size, with their pids (consecutive
 * from a base that a later workload never reuses) and their groups' measurements. Built on any
 * thread, then installed by the scheduling thread.
 */
public final class Population {
    /** The most tasks one workload may have. */
    static final int MAX_TASKS = 100_000;

    final Workload workload;
    final SimTask[] tasks;
    final GroupState[] groups;
    final int pidBase;
    /** Virtual time since which the groups are measured: the workload's installation or the latest policy's activation. */
    volatile long startNs;
    /** Task runs of the machine at {@link #startNs}. */
    volatile long runsAtStart;
    /** Replayed tasks that have not run their last burst yet (the scheduling thread's). */
    private int tracedLeft;
    /** What the recording measured, per traced group (empty for other workloads). */
    private final List<SimReport.RecordedGroup> recorded;
    /** The scheduling thread's figures at {@link #startNs}, or null when it is free. */
    volatile SimReport.SchedulerReport schedulerAtStart;

    private Population(Workload workload, SimTask[] tasks, GroupState[] groups, int pidBase) {
        this.workload = workload;
        this.tasks = tasks;
        this.groups = groups;
        this.pidBase = pidBase;
        List<SimReport.RecordedGroup> measured = new ArrayList<>();
        for (Workload.Group g : workload.groups()) {
            if (g.kind() == Workload.Kind.TRACED) {
                measured.add(GroupState.recorded(g));
                tracedLeft += g.traced().size();
            }
        }
        this.recorded = List.copyOf(measured);
    }

    /**
     * Builds the tasks of {@code workload} for {@code cpus} CPUs.
     *
     * @throws WorkloadException when an affinity names a CPU the machine lacks, or there are too many tasks
     */
    public static Population build(Workload workload, int cpus, int pidBase, long seed) throws WorkloadException {
        int total = 0;
        for (Workload.Group g : workload.groups()) {
            total += g.taskCount(cpus);
        }
        if (total > MAX_TASKS) {
            throw new WorkloadException(workload.source() + " has " + total + " tasks on " + cpus
                    + " CPUs, more than the " + MAX_TASKS + " the simulator supports: lower the counts.");
        }
        SplittableRandom master = new SplittableRandom(seed);
        SimTask[] tasks = new SimTask[total];
        GroupState[] groups = new GroupState[workload.groups().size()];
        int words = (cpus + 63) >>> 6;
        int index = 0;
        for (int gi = 0; gi < groups.length; gi++) {
            Workload.Group spec = workload.groups().get(gi);
            int count = spec.taskCount(cpus);
            long[] groupMask = groupMask(workload, spec, cpus, words);
            groups[gi] = new GroupState(spec, count);
            for (int k = 0; k < count; k++) {
                long[] mask = groupMask;
                String comm = spec.comm();
                TracedTask traced = spec.kind() == Workload.Kind.TRACED ? spec.traced().get(k) : null;
                if (spec.kthread()) {
                    mask = new long[words];
                    mask[k >>> 6] |= 1L << k;
                    comm = comm + "/" + k;
                } else if (traced != null) {
                    comm = traced.comm();
                    if (traced.onlyCpu() >= 0) {
                        mask = pinnedMask(traced.onlyCpu(), cpus, words);
                    }
                }
                tasks[index] = new SimTask(index, pidBase + index, groups[gi], spec, comm, mask,
                        initialCpu(mask, index, cpus), master.split(), traced);
                index++;
            }
        }
        return new Population(workload, tasks, groups, pidBase);
    }

    private static long[] groupMask(Workload workload, Workload.Group spec, int cpus, int words) throws WorkloadException {
        long[] mask = new long[words];
        if (spec.affinity().isEmpty()) {
            for (int c = 0; c < cpus; c++) {
                mask[c >>> 6] |= 1L << c;
            }
            return mask;
        }
        for (int c : spec.affinity()) {
            if (c >= cpus) {
                throw new WorkloadException(workload.source() + ": group." + spec.name() + ".affinity names CPU " + c
                        + ", but the machine has " + cpus + " CPUs; use CPUs 0-" + (cpus - 1) + " or run with more CPUs.");
            }
            mask[c >>> 6] |= 1L << c;
        }
        return mask;
    }

    /**
     * A recorded task pinned to {@code cpu}: pinned here to the same CPU, or when the machine has
     * fewer CPUs, to {@code cpu} modulo their number (the recorded machine's CPUs dealt round
     * robin over this one's, so pinned tasks of different CPUs stay spread).
     */
    static long[] pinnedMask(int cpu, int cpus, int words) {
        int here = cpu % cpus;
        long[] mask = new long[words];
        mask[here >>> 6] |= 1L << here;
        return mask;
    }

    /** Spreads new tasks over their allowed CPUs, as forks land on different CPUs. */
    private static int initialCpu(long[] mask, int index, int cpus) {
        for (int k = 0; k < cpus; k++) {
            int c = (index + k) % cpus;
            if ((mask[c >>> 6] & (1L << c)) != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * A replayed task ran its last burst (the scheduling thread); true when it was the last one
     * left, so that the replay is over.
     */
    boolean tracedTaskEnded() {
        return --tracedLeft == 0;
    }

    /** What the recording measured, per traced group (empty unless the workload replays a trace). */
    public List<SimReport.RecordedGroup> recorded() {
        return recorded;
    }

    /** The task with this pid, or null (unknown pid, or a task of an earlier workload). */
    SimTask byPid(int pid) {
        int i = pid - pidBase;
        return i >= 0 && i < tasks.length ? tasks[i] : null;
    }

    /** The first pid a later workload may use. */
    public int nextPidBase() {
        return pidBase + tasks.length;
    }

    public String workloadName() {
        return workload.name();
    }

    public Workload workload() {
        return workload;
    }

    /** Virtual time since which the groups are measured (the workload's installation or the latest policy's activation). */
    public long startNs() {
        return startNs;
    }

    /** The machine's task runs at {@link #startNs()}. */
    public long runsAtStart() {
        return runsAtStart;
    }

    /**
     * Starts the groups' figures afresh at {@code nowNs}, so that a table never mixes two policies
     * (the scheduling thread, when a policy is activated).
     */
    public synchronized void measureFrom(long nowNs, long taskRuns, SimReport.SchedulerReport schedulerTotals) {
        for (GroupState g : groups) {
            g.reset();
        }
        startNs = nowNs;
        runsAtStart = taskRuns;
        schedulerAtStart = schedulerTotals;
    }

    /** The scheduling thread's figures since {@link #startNs()} given its {@code totals} now, or null when it is free. */
    public SimReport.SchedulerReport schedulerSince(SimReport.SchedulerReport totals) {
        SimReport.SchedulerReport start = schedulerAtStart;
        return totals == null || start == null ? totals : totals.since(start);
    }

    /** One row per group, over the time since {@link #startNs()} (may be called from any thread). */
    public synchronized List<SimReport.GroupReport> report(long nowNs, int cpus) {
        long elapsed = Math.max(0, nowNs - startNs);
        List<SimReport.GroupReport> rows = new ArrayList<>(groups.length);
        for (GroupState g : groups) {
            rows.add(g.report(elapsed, cpus));
        }
        return rows;
    }
}
