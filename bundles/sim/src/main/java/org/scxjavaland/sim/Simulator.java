package org.scxjavaland.sim;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The simulated machine as the shell and the launcher see it: what it runs, its clock, its report,
 * and switching the workload while the host keeps running. Every method may be called from any
 * thread.
 */
@ProviderType
public interface Simulator {

    /** Name of the workload being simulated (the one most recently loaded). */
    String workloadName();

    /** The machine's virtual clock, in ns. */
    long virtualTimeNs();

    /**
     * The measurements of the current workload since it was loaded or a policy was last activated,
     * whichever is later. While the machine runs, the CPU time of the tasks still running counts up
     * to at most 10 ms of virtual time ago; once it has stopped, up to its last round.
     */
    SimReport report();

    /** How many tasks user space held at the end of its rounds, over the same time as {@link #report()}. */
    HeldTasks heldTasks();

    /** The options the machine was built with. */
    SimOptions options();

    /**
     * Switches to another workload (a built-in name or a file path) without restarting anything:
     * the switch happens at the next round boundary, on the scheduling thread. The old workload's
     * tasks disappear like exited tasks: dispatches that user space still sends for them are
     * cancelled. The number of CPUs stays the machine's.
     *
     * @throws WorkloadException when the workload is unknown or malformed (the machine keeps running the old one)
     */
    void loadWorkload(String nameOrPath) throws WorkloadException;
}
