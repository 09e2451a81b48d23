package org.scxjavaland.sim.internal;

import java.util.concurrent.atomic.AtomicLongArray;

import org.scxjavaland.sim.SimReport;

/**
 * The user-space scheduling thread as a task of the simulated machine (when its costs are not
 * both 0): where it runs, whether it waits for a CPU, and what it has cost. {@link MachineCore}
 * moves it on and off the CPUs as the BPF side does; this class keeps its state and its figures,
 * which other threads read.
 */
final class SchedulingThread {
    private static final int ROUNDS = 0;
    private static final int TASKS = 1;
    private static final int CPU_NS = 2;
    private static final int PREEMPT_KICKS = 3;

    private final long roundNs;
    private final long taskNs;
    private final AtomicLongArray totals = new AtomicLongArray(4);

    /** The CPU it occupies, or -1. */
    int cpu = -1;
    /** It has news and no CPU: the next CPU that looks for work takes it. */
    boolean waiting;
    /** The previous CPU of a task that woke and was queued to it while it had no CPU, or -1: the CPU to preempt. */
    int kickCpu = -1;
    /** Where it ran last, where it looks for an idle CPU first. */
    int lastCpu;
    /** When it took its CPU. */
    long onCpuSince;

    SchedulingThread(long roundNs, long taskNs) {
        this.roundNs = roundNs;
        this.taskNs = taskNs;
    }

    /** Virtual ns a round that handled {@code tasks} (records dequeued plus dispatched) costs. */
    long roundCost(int tasks) {
        return roundNs + taskNs * tasks;
    }

    /** A round ran for {@code ns} of CPU time and handled {@code tasks}. */
    void ran(long ns, int tasks) {
        totals.setOpaque(ROUNDS, totals.getPlain(ROUNDS) + 1);
        totals.setOpaque(TASKS, totals.getPlain(TASKS) + tasks);
        totals.setOpaque(CPU_NS, totals.getPlain(CPU_NS) + ns);
    }

    void preemptKicked() {
        totals.setOpaque(PREEMPT_KICKS, totals.getPlain(PREEMPT_KICKS) + 1);
    }

    /** Its figures since the machine started (any thread). */
    SimReport.SchedulerReport totals() {
        return new SimReport.SchedulerReport(totals.getOpaque(ROUNDS), totals.getOpaque(TASKS),
                totals.getOpaque(CPU_NS), totals.getOpaque(PREEMPT_KICKS));
    }
}
