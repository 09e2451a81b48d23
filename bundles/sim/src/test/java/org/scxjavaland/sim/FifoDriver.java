package org.scxjavaland.sim;

import java.util.ArrayDeque;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;

/**
 * The simplest user-space scheduler, as the connector would drive a FIFO policy: each round,
 * dequeue every record, dispatch every held task to CPU_ANY in arrival order (stopping when the
 * dispatched ring is full), then notifyComplete. Reuses its records: allocation-free once warm.
 */
public final class FifoDriver {
    private final KernelLink link;
    private final long sliceNs;
    private final ArrayDeque<QueuedTask> held = new ArrayDeque<>();
    private final ArrayDeque<QueuedTask> spare = new ArrayDeque<>();
    private final DispatchedTask dispatched = new DispatchedTask();
    private long rounds;

    /** @param sliceNs slice of every dispatch; 0 lets the machine use its default slice */
    public FifoDriver(KernelLink link, long sliceNs) {
        this.link = link;
        this.sliceNs = sliceNs;
    }

    public void round() {
        QueuedTask next = spare.isEmpty() ? new QueuedTask() : spare.poll();
        while (link.dequeue(next)) {
            held.add(next);
            next = spare.isEmpty() ? new QueuedTask() : spare.poll();
        }
        spare.add(next);
        while (!held.isEmpty()) {
            QueuedTask t = held.peek();
            dispatched.prepare(t).cpu(DispatchedTask.CPU_ANY).sliceNs(sliceNs);
            if (!link.dispatch(dispatched)) {
                break;
            }
            spare.add(held.poll());
        }
        link.notifyComplete(held.size());
        rounds++;
    }

    /** Runs rounds until the machine exits (or {@code maxRounds}). */
    public FifoDriver runUntilExit(long maxRounds) {
        for (long i = 0; i < maxRounds && !link.exited(); i++) {
            round();
        }
        return this;
    }

    long rounds() {
        return rounds;
    }
}
