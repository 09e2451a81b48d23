package org.scxjavaland.connector.internal;

import static org.scxjavaland.api.SchedulerBackend.BUILTIN_FIFO;

import java.util.function.Predicate;

/**
 * Which policy should hold the tasks, from what the connector was told: the configuration, swaps
 * and policies appearing. Names only; not thread-safe (the {@link Scheduler} guards it with its
 * lock, and its scheduling thread carries the choice out).
 *
 * <ul>
 *   <li><b>configured</b>: the policy the configuration names;
 *   <li><b>wanted</b>: the configured one, until a swap names another;
 *   <li><b>fallback</b>: holds the tasks while the wanted one is missing or failed: the configured
 *       one, or the wanted one of before when a configuration named a policy that is not there;
 *   <li><b>pending</b>: such a configured policy that is not there; wanted once it appears.
 * </ul>
 */
final class PolicySelection {

    /** What a change of the configuration while the host runs did. */
    enum Reconfigured {
        /** The same policy as before: nothing. */
        UNCHANGED,
        /** The named policy is wanted now. */
        WANTED,
        /** The named policy is not there: what is wanted stays until it appears. */
        PENDING
    }

    private String configured;
    private String wanted;
    private String fallback;
    private String pending;

    /** @param policy the configured policy: wanted, and the fallback */
    PolicySelection(String policy) {
        configured = policy;
        wanted = policy;
        fallback = policy;
    }

    /**
     * The configuration the connector starts with names {@code policy}: wanted at once, registered
     * or not (policy bundles may start after the connector).
     *
     * @return false if that changes nothing
     */
    boolean configure(String policy) {
        if (policy.equals(configured) && pending == null) {
            return false;
        }
        configured = policy;
        wanted = policy;
        fallback = policy;
        pending = null;
        return true;
    }

    /**
     * The configuration changed while the host runs and names {@code policy}, which is registered
     * (or the built-in FIFO) or not: a name nobody registered is not trusted over what is wanted
     * now, it waits until a policy of that name appears.
     */
    Reconfigured reconfigure(String policy, boolean registered) {
        if (policy.equals(configured)) {
            return Reconfigured.UNCHANGED;
        }
        configured = policy;
        if (registered || BUILTIN_FIFO.equals(policy)) {
            wanted = policy;
            fallback = policy;
            pending = null;
            return Reconfigured.WANTED;
        }
        pending = policy;
        return Reconfigured.PENDING;
    }

    /**
     * A policy named {@code name} was registered.
     *
     * @return true if a configuration was waiting for it: it is wanted now, and the fallback
     */
    boolean registered(String name) {
        if (!name.equals(pending)) {
            return false;
        }
        wanted = name;
        fallback = name;
        pending = null;
        return true;
    }

    /** A swap names {@code name}: wanted now; the swap is the later choice, so no configuration waits any more. */
    void swapTo(String name) {
        wanted = name;
        pending = null;
    }

    /**
     * The policy that should hold the tasks: the wanted one if it is {@code usable} (registered and
     * not failed), else the fallback if it is, else {@link org.scxjavaland.api.SchedulerBackend#BUILTIN_FIFO}.
     */
    String holder(Predicate<String> usable) {
        if (BUILTIN_FIFO.equals(wanted) || usable.test(wanted)) {
            return wanted;
        }
        return !BUILTIN_FIFO.equals(fallback) && usable.test(fallback) ? fallback : BUILTIN_FIFO;
    }
}
