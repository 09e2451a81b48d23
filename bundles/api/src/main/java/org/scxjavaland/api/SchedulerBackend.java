package org.scxjavaland.api;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The running scheduler, as the connector registers it: the machine, its counters, and the
 * active policy. Safe to call from any thread.
 */
@ProviderType
public interface SchedulerBackend {

    /** Name the connector's built-in FIFO goes by while no policy is active. */
    String BUILTIN_FIFO = "builtin-fifo";

    /** Which kernel side is scheduled: {@code sim} or {@code bpf}. */
    String kind();

    /** Number of CPUs of the machine being scheduled. */
    int nrCpus();

    /** Asks the kernel side for an idle CPU; negative when none is idle. */
    int selectCpu(int pid, int prevCpu, long flags);

    /** A snapshot of the counters. */
    Metrics metrics();

    /** Name of the active policy, or {@link #BUILTIN_FIFO} while none is. */
    String activePolicy();

    /** When the active policy (or the built-in FIFO) became active; null when unknown. */
    default Instant activeSince() {
        return null;
    }

    /** When scheduling began; null while the scheduler is not running. */
    default Instant startedAt() {
        return null;
    }

    /**
     * Why the last policy that failed was deactivated, in one line (policy, method, exception);
     * null when none has failed.
     */
    default String lastFailure() {
        return null;
    }

    /**
     * The policy service a swap to {@code name} activates: when two services share a name, the
     * one registered first; null when none has that name.
     */
    default Policy policyInUse(String name) {
        return null;
    }

    /**
     * Why the policy {@code name} is kept out, in one line (it failed: the method and the
     * exception), until its bundle is updated or restarted or a swap names it; null while it is
     * not kept out.
     */
    default String failure(String name) {
        return null;
    }

    /** Names of the policies available now, sorted, {@link #BUILTIN_FIFO} included. */
    List<String> availablePolicies();

    /**
     * Makes the named policy the active one, handing it every task the current one holds.
     * Returns once the scheduling thread has done the swap. {@link #BUILTIN_FIFO} may be named
     * too.
     *
     * @throws IllegalArgumentException when no policy has that name (the message lists the known ones)
     */
    SwapReport swap(String policyName);
}
