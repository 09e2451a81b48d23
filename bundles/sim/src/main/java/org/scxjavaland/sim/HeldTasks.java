package org.scxjavaland.sim;

import java.util.Locale;

/**
 * How many tasks user space held (enqueued, not yet dispatched) at the end of its rounds, since the
 * workload was loaded or a policy was last activated: the most, and the mean over virtual time.
 * Without a queue depth a policy hands nearly every task to the kernel's queues at once and holds
 * close to none; with one, this is how many tasks it chooses among.
 *
 * @param max the most tasks held at the end of a round
 * @param mean tasks held, averaged over virtual time (each round's count lasting until the next round)
 */
public record HeldTasks(long max, double mean) {

    /** One line for the end of a run's table. */
    public String toLine() {
        return String.format(Locale.ROOT, "tasks held by the policy: at most %d, mean %.2f%n", max, mean);
    }
}
