package org.scxjavaland.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the connector offers the active policy. Valid from {@link Policy#activate} until
 * {@link Policy#deactivate}, and only on the scheduling thread.
 */
@ProviderType
public interface PolicyContext {

    /** Number of CPUs of the machine being scheduled. */
    int nrCpus();

    /** The machine's clock in ns (virtual time on the simulated machine): use it, not System.nanoTime(). */
    long now();

    /**
     * Asks the kernel side for an idle CPU the task may run on.
     *
     * @return an idle CPU, or a negative number when none is idle
     */
    int selectCpu(int pid, int prevCpu, long flags);

    /**
     * Sends a task to the kernel side to run.
     *
     * <p>The connector checks each dispatch against the tasks the policy holds (a task it does
     * not hold, or an outdated record of it, is dropped as the kernel side would cancel it), and
     * may shift the vtimes of a policy activated after another one so that its tasks do not queue
     * behind those its predecessor already dispatched.
     *
     * @return false when the dispatch could not be queued (the dispatched ring is full): the
     *     task is still the policy's, which should keep it and stop dispatching this round
     */
    boolean dispatch(DispatchedTask task);
}
