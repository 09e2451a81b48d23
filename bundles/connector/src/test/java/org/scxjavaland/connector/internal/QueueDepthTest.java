package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.function.Consumer;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.SimulatedMachine;
import org.scxjavaland.sim.Workload;

/**
 * The connector's queue depth on the simulated machine, through the real scheduling thread: the
 * kernel side never holds more than depth x CPUs of the tasks user space dispatched, every task
 * still runs, and with a depth the policy's order, not the vtime it gives, decides who waits.
 */
public class QueueDepthTest {

    private static final int CPUS = 4;

    @Test
    public void theKernelNeverHoldsMoreThanTheBudget() throws Exception {
        for (int depth : new int[] {1, 2}) {
            Run run = run(new ArrivalOrderPolicy(false, true), depth);
            assertTrue("the run reached its duration: " + run.exitReason, run.exitReason.contains("duration"));
            assertEquals("depth " + depth + ": dispatches beyond the budget", 0, run.link.overBudget);
            assertTrue("depth " + depth + ": the kernel held up to its budget (" + run.link.maxQueued + ")",
                    run.link.maxQueued > 0 && run.link.maxQueued <= (long) depth * CPUS);
            assertTrue("depth " + depth + ": the policy held tasks (" + run.link.maxHeld + ")", run.link.maxHeld > 0);
            assertEquals(depth * CPUS, run.link.budget);
        }
    }

    @Test
    public void withoutADepthEveryTaskGoesToTheKernelAtOnce() throws Exception {
        Run run = run(new ArrivalOrderPolicy(false, false), 0);
        assertTrue(run.exitReason, run.exitReason.contains("duration"));
        assertEquals("the policy held nothing at the end of a round", 0, run.link.maxHeld);
        assertTrue("the kernel held more than one task per CPU (" + run.link.maxQueued + ")",
                run.link.maxQueued > CPUS);
        assertEquals(0, run.link.budget);
    }

    @Test
    public void withADepthThePolicysOrderDecidesWhoWaits() throws Exception {
        // Both send the vtime of the task's arrival: in the kernel's queues they are alike.
        String oldestFirst = run(new ArrivalOrderPolicy(false, false), 0).table;
        String newestFirst = run(new ArrivalOrderPolicy(true, false), 0).table;
        assertEquals("without a depth only the vtime orders the tasks", oldestFirst, newestFirst);

        String oldestFirstDepth1 = run(new ArrivalOrderPolicy(false, false), 1).table;
        String newestFirstDepth1 = run(new ArrivalOrderPolicy(true, false), 1).table;
        assertNotEquals("with depth 1 the policy chooses", oldestFirstDepth1, newestFirstDepth1);
    }

    private record Run(WatchedLink link, String table, String exitReason) {
    }

    private static Run run(ArrivalOrderPolicy policy, int depth) throws Exception {
        SimulatedMachine machine = new SimulatedMachine(Workload.builtIn("desktop-under-build"),
                SimOptions.builder().cpus(CPUS).seed(3).mode(SimOptions.Mode.FAST).durationMs(1_000).build());
        WatchedLink link = new WatchedLink(machine);
        try (Scheduler scheduler = new Scheduler(policy.name())) {
            scheduler.setQueueDepth(depth);
            scheduler.addPolicy(policy);
            scheduler.attach(link);
            assertTrue("the simulated run ended", scheduler.awaitLoopEnd(600_000));
            return new Run(link, machine.report().toTable(), machine.exitReason());
        } finally {
            machine.shutDown("The test is over.");
        }
    }

    /**
     * The simulated machine, watched: after every dispatch the tasks dispatched and not yet
     * running stay within the budget the connector gave; the most of them and the most tasks held
     * at the end of a round are kept. Read by the test once the scheduling thread ended.
     */
    static final class WatchedLink implements KernelLink {
        private final SimulatedMachine machine;
        long budget;
        long maxQueued;
        long overBudget;
        long maxHeld;

        WatchedLink(SimulatedMachine machine) {
            this.machine = machine;
        }

        @Override
        public boolean dispatch(DispatchedTask task) {
            boolean taken = machine.dispatch(task);
            long queued = machine.queuedInKernel();
            maxQueued = Math.max(maxQueued, queued);
            if (budget > 0 && queued > budget) {
                overBudget++;
            }
            return taken;
        }

        @Override
        public void notifyComplete(long nrPending) {
            maxHeld = Math.max(maxHeld, nrPending);
            machine.notifyComplete(nrPending);
        }

        @Override
        public void queueBudget(long tasks) {
            budget = tasks;
            machine.queueBudget(tasks);
        }

        @Override
        public long queuedInKernel() {
            return machine.queuedInKernel();
        }

        @Override
        public String kind() {
            return machine.kind();
        }

        @Override
        public int nrCpus() {
            return machine.nrCpus();
        }

        @Override
        public long now() {
            return machine.now();
        }

        @Override
        public boolean dequeue(QueuedTask into) {
            return machine.dequeue(into);
        }

        @Override
        public int selectCpu(int pid, int prevCpu, long flags) {
            return machine.selectCpu(pid, prevCpu, flags);
        }

        @Override
        public void wakeup() {
            machine.wakeup();
        }

        @Override
        public boolean exited() {
            return machine.exited();
        }

        @Override
        public String exitReason() {
            return machine.exitReason();
        }

        @Override
        public Metrics counters() {
            return machine.counters();
        }

        @Override
        public void setBypass(boolean bypass) {
            machine.setBypass(bypass);
        }

        @Override
        public void policyActivated(String policy) {
            machine.policyActivated(policy);
        }
    }

    /**
     * Dispatches the oldest or the newest task it holds, to any CPU, with the vtime of its arrival
     * (so the kernel's queues order them alike either way); greedy, it dispatches every task it
     * holds in one call, until the connector refuses one.
     */
    static final class ArrivalOrderPolicy implements Policy {
        private static final int CAPACITY = 1 << 12;
        private final boolean newestFirst;
        private final boolean greedy;
        private final QueuedTask[] tasks = new QueuedTask[CAPACITY];
        private final long[] arrivals = new long[CAPACITY];
        private final DispatchedTask next = new DispatchedTask();
        private int head;
        private int size;
        private long arrived;
        private PolicyContext context;

        ArrivalOrderPolicy(boolean newestFirst, boolean greedy) {
            this.newestFirst = newestFirst;
            this.greedy = greedy;
        }

        @Override
        public String name() {
            return newestFirst ? "newest-first" : "oldest-first";
        }

        @Override
        public void activate(PolicyContext context) {
            this.context = context;
        }

        @Override
        public void enqueue(QueuedTask task) {
            int slot = (head + size) & (CAPACITY - 1);
            if (tasks[slot] == null) {
                tasks[slot] = new QueuedTask();
            }
            tasks[slot].copyFrom(task);
            arrivals[slot] = ++arrived;
            size++;
        }

        @Override
        public boolean dispatch() {
            do {
                if (size == 0) {
                    return true;
                }
                int slot = newestFirst ? (head + size - 1) & (CAPACITY - 1) : head;
                next.prepare(tasks[slot]).cpu(DispatchedTask.CPU_ANY).vtime(arrivals[slot]);
                if (!context.dispatch(next)) {
                    return false;
                }
                if (!newestFirst) {
                    head = (head + 1) & (CAPACITY - 1);
                }
                size--;
            } while (greedy);
            return true;
        }

        @Override
        public int heldTasks() {
            return size;
        }

        @Override
        public void deactivate(Consumer<QueuedTask> handBack) {
            for (int i = 0; i < size; i++) {
                handBack.accept(tasks[(head + i) & (CAPACITY - 1)]);
            }
            size = 0;
        }
    }
}
