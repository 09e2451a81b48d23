package org.scxjavaland.link;

/**
 * What a kernel side counts ({@link KernelLink#counters()}): three gauges, as they are now, and
 * six counts since the link started. The BPF side and the simulated machine count by the same
 * rules. The connector adds what only user space knows (the tasks the policy holds, the scheduling
 * thread's page faults) to make the api's {@code Metrics}.
 *
 * @param nrRunning tasks running on a CPU
 * @param nrCpus online CPUs
 * @param nrQueued tasks queued to user space that user space has not taken yet
 * @param nrUserDispatches dispatches from user space the kernel side put on a dispatch queue
 * @param nrKernelDispatches tasks the kernel side dispatched by itself, without user space
 * @param nrCancelDispatches dispatches from user space dropped because the task was queued again
 *     (or left) meanwhile
 * @param nrBounceDispatches dispatches from user space sent to the shared queue because the chosen
 *     CPU was not one the task may use
 * @param nrFailedDispatches dispatches from user space the kernel side could not carry out (the task
 *     had exited, or the record was unreadable); a dispatch the link refused counts nothing
 * @param nrSchedCongested tasks the kernel side dispatched by itself because the queue to user
 *     space was full
 */
public record LinkCounters(long nrRunning, long nrCpus, long nrQueued, long nrUserDispatches,
        long nrKernelDispatches, long nrCancelDispatches, long nrBounceDispatches, long nrFailedDispatches,
        long nrSchedCongested) {

    /** Nothing counted: a link that has not started. */
    public static final LinkCounters ZERO = new LinkCounters(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
