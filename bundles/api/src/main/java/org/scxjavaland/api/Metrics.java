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
 * @param nrFailedDispatches dispatches that could not be delivered
 * @param nrSchedCongested tasks the kernel side dispatched itself because the queue to user space was full
 */
public record Metrics(long nrRunning, long nrCpus, long nrQueued, long nrScheduled, long nrPageFaults,
        long nrUserDispatches, long nrKernelDispatches, long nrCancelDispatches, long nrBounceDispatches,
        long nrFailedDispatches, long nrSchedCongested) {

    /** All counters at zero. */
    public static final Metrics ZERO = new Metrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The monitor line: gauges as they are now, dispatch counters as deltas since {@code previous}
     * (pass {@link #ZERO} for totals).
     */
    public String monitorLine(String schedulerName, Metrics previous) {
        return String.format("[%s] tasks -> r: %2d/%-2d w: %-2d/%-2d | pf: %-5d | dispatch -> u: %-5d k: %-5d c: %-5d"
                + " b: %-5d f: %-5d | cg: %-5d",
                schedulerName, nrRunning, nrCpus, nrQueued, nrScheduled, nrPageFaults,
                nrUserDispatches - previous.nrUserDispatches,
                nrKernelDispatches - previous.nrKernelDispatches,
                nrCancelDispatches - previous.nrCancelDispatches,
                nrBounceDispatches - previous.nrBounceDispatches,
                nrFailedDispatches - previous.nrFailedDispatches,
                nrSchedCongested - previous.nrSchedCongested);
    }

    /** One line per counter: its name and what it counts (for --help-stats). */
    public static String describe() {
        return String.join(System.lineSeparator(),
                "nr_running            tasks running on a CPU right now",
                "nr_cpus               online CPUs",
                "nr_queued             tasks queued to user space, not yet taken by the policy",
                "nr_scheduled          tasks held by the policy, waiting to be dispatched",
                "nr_page_faults        page faults of the scheduling thread since it started (should stay 0 once warm)",
                "nr_user_dispatches    tasks dispatched by the user-space policy (delta per interval)",
                "nr_kernel_dispatches  tasks the kernel side dispatched directly, e.g. per-CPU kthreads (delta)",
                "nr_cancel_dispatches  dispatches cancelled because the task was queued again meanwhile (delta)",
                "nr_bounce_dispatches  dispatches sent to the shared queue because the chosen CPU was not allowed (delta)",
                "nr_failed_dispatches  dispatches that could not be delivered to the kernel side (delta)",
                "nr_sched_congested    tasks dispatched by the kernel side because the queue to user space was full (delta)");
    }
}
