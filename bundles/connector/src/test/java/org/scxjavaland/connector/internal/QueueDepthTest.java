package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

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
            Run run = run(arrivalOrder(false, true), depth);
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
        Run run = run(arrivalOrder(false, false), 0);
        assertTrue(run.exitReason, run.exitReason.contains("duration"));
        assertEquals("the policy held nothing at the end of a round", 0, run.link.maxHeld);
        assertTrue("the kernel held more than one task per CPU (" + run.link.maxQueued + ")",
                run.link.maxQueued > CPUS);
        assertEquals(0, run.link.budget);
    }

    @Test
    public void withADepthThePolicysOrderDecidesWhoWaits() throws Exception {
        // Both send the vtime of the task's arrival: in the kernel's queues they are alike.
        String oldestFirst = run(arrivalOrder(false, false), 0).table;
        String newestFirst = run(arrivalOrder(true, false), 0).table;
        assertEquals("without a depth only the vtime orders the tasks", oldestFirst, newestFirst);

        String oldestFirstDepth1 = run(arrivalOrder(false, false), 1).table;
        String newestFirstDepth1 = run(arrivalOrder(true, false), 1).table;
        assertNotEquals("with depth 1 the policy chooses", oldestFirstDepth1, newestFirstDepth1);
    }

    private record Run(WatchedLink link, String table, String exitReason) {
    }

    private static Run run(TestPolicy policy, int depth) throws Exception {
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
        public LinkCounters counters() {
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
     * The oldest (FIFO) or newest (LIFO) task it holds, to any CPU, with the vtime of its arrival (so
     * the kernel's queues order them alike either way); greedy, every task it holds in one call.
     */
    private static TestPolicy arrivalOrder(boolean newestFirst, boolean greedy) {
        TestPolicy policy = new TestPolicy(newestFirst ? "newest-first" : "oldest-first",
                newestFirst ? TestPolicy.Order.LIFO : TestPolicy.Order.FIFO).arrivalVtimes().anyCpu();
        return greedy ? policy.greedy() : policy;
    }
}
