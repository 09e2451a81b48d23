package org.scxjavaland.api;

/**
 * The scheduler's counters at one instant, the same eleven a user knows from scx_rustland.
 *
 * @param nrRunning tasks running on a CPU
 * @param nrCpus online CPUs
 * @param nrQueued tasks queued to user space, not yet taken by the policy
 * @param nrScheduled tasks held by the policy, waiting to be dispatched
 * @param nrPageFaults page faults of the scheduling thread since it started (the seed counts the whole
 *     process; in a JVM the compiler and shell threads fault as they work, which does not delay scheduling)
 * @param nrUserDispatches tasks dispatched by the user-space policy
 * @param nrKernelDispatches tasks dispatched by the kernel side directly
 * @param nrCancelDispatches dispatches cancelled because the task was enqueued again meanwhile
 * @param nrBounceDispatches dispatches moved to the shared queue because the CPU was not allowed
 * @param nrFailedDispatches dispatches the kernel side could not carry out (the task had exited)
 * @param nrSchedCongested tasks the kernel side dispatched itself because the queue to user space was full
 */
public record Metrics(long nrRunning, long nrCpus, long nrQueued, long nrScheduled, long nrPageFaults,
        long nrUserDispatches, long nrKernelDispatches, long nrCancelDispatches, long nrBounceDispatches,
        long nrFailedDispatches, long nrSchedCongested) {

    /** All counters at zero. */
    public static final Metrics ZERO = new Metrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The monitor line: gauges as they are now, dispatch counters as deltas since {@code previous}
     * (pass {@link #ZERO} for totals). A counter below its previous value (the scheduler started
     * again meanwhile) shows 0, never a negative delta. The columns hold 7 digits; a larger value
     * widens its own column only.
     */
    public String monitorLine(String schedulerName, Metrics previous) {
        return String.format("[%s] tasks -> r: %2d/%-2d w: %-2d/%-2d | pf: %-5d | dispatch -> u: %-7d k: %-7d c: %-5d"
                + " b: %-5d f: %-5d | cg: %-5d",
                schedulerName, nrRunning, nrCpus, nrQueued, nrScheduled, nrPageFaults,
                delta(nrUserDispatches, previous.nrUserDispatches),
                delta(nrKernelDispatches, previous.nrKernelDispatches),
                delta(nrCancelDispatches, previous.nrCancelDispatches),
                delta(nrBounceDispatches, previous.nrBounceDispatches),
                delta(nrFailedDispatches, previous.nrFailedDispatches),
                delta(nrSchedCongested, previous.nrSchedCongested));
    }

    /**
     * True when every dispatch counter is at least its value in {@code previous}: the two
     * snapshots come from the same run of the scheduler, so their deltas mean an interval.
     */
    public boolean follows(Metrics previous) {
        return nrUserDispatches >= previous.nrUserDispatches && nrKernelDispatches >= previous.nrKernelDispatches
                && nrCancelDispatches >= previous.nrCancelDispatches
                && nrBounceDispatches >= previous.nrBounceDispatches
                && nrFailedDispatches >= previous.nrFailedDispatches && nrSchedCongested >= previous.nrSchedCongested;
    }

    private static long delta(long now, long before) {
        return Math.max(0, now - before);
    }

    /** The monitor line's labels, then one line per counter: its label, name and what it counts (for --help-stats). */
    public static String describe() {
        return String.join(System.lineSeparator(),
                "The monitor line: [javaland] tasks -> r: R/C w: Q/S | pf: PF | dispatch -> u: U k: K c: C b: B f: F | cg: CG",
                "r, w and pf are as they are now; u, k, c, b, f and cg count since the previous line (--stats,"
                        + " scx:stats SECS) or since scheduling began (scx:stats without SECS).",
                "",
                "label  counter",
                "r: R   nr_running            tasks running on a CPU right now",
                "r: /C  nr_cpus               online CPUs",
                "w: Q   nr_queued             tasks queued to user space, not yet taken by the policy",
                "w: /S  nr_scheduled          tasks held by the policy, waiting to be dispatched",
                "pf:    nr_page_faults        page faults of the scheduling thread since it started (should stay 0 once warm)",
                "u:     nr_user_dispatches    tasks dispatched by the user-space policy",
                "k:     nr_kernel_dispatches  tasks the kernel side dispatched directly, e.g. per-CPU kthreads",
                "c:     nr_cancel_dispatches  dispatches cancelled because the task was queued again meanwhile",
                "b:     nr_bounce_dispatches  dispatches sent to the shared queue because the chosen CPU was not allowed",
                "f:     nr_failed_dispatches  dispatches the kernel side could not carry out (the task had exited)",
                "cg:    nr_sched_congested    tasks dispatched by the kernel side because the queue to user space was full");
    }
}
