package org.scxjavaland.sim;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/** Helpers for tests that drive the machine by hand. */
final class Machines {
    static final long US = 1_000;
    static final long MS = 1_000_000;

    private Machines() {
    }

    /** A machine running the workload written in {@code lines} (joined with newlines). */
    static SimulatedMachine machine(SimOptions.Builder options, String... lines) throws WorkloadException {
        return new SimulatedMachine(Workload.parse("Test workload", "test", String.join("\n", lines)), options.build());
    }

    /**
     * A machine with a free scheduling thread (its rounds last 2 µs and need no CPU), whose timings
     * the tests of the kernel side count on; SchedulerCostTest covers the scheduler's own cost.
     */
    static SimulatedMachine machine(String... lines) throws WorkloadException {
        return machine(SimOptions.builder().freeScheduler(), lines);
    }

    /** Dequeues one record, failing the test when there is none. */
    static QueuedTask take(SimulatedMachine m) {
        QueuedTask q = new QueuedTask();
        if (!m.dequeue(q)) {
            throw new AssertionError("expected a queued task at " + m.now() + " ns");
        }
        return q;
    }

    /** A dispatch of {@code q} to {@code cpu} with the default slice. */
    static DispatchedTask to(QueuedTask q, int cpu) {
        return new DispatchedTask().prepare(q).cpu(cpu);
    }
}
