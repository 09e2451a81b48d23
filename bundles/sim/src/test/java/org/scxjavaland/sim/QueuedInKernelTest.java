package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.scxjavaland.sim.Machines.machine;
import static org.scxjavaland.sim.Machines.take;
import static org.scxjavaland.sim.Machines.to;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * The count of tasks user space dispatched that have not started running, as the BPF side keeps it
 * for the connector's queue depth: records not yet delivered, then the tasks they put on a queue.
 */
public class QueuedInKernelTest {

    /** Three CPU hogs on one CPU, all waking at 0. */
    private static SimulatedMachine threeHogsOnOneCpu() throws WorkloadException {
        return machine("cpus=1", "group.hog.count=3", "group.hog.run_us=-1", "group.hog.start_us=0");
    }

    @Test
    public void countsRecordsUntilTheirTasksRun() throws Exception {
        SimulatedMachine m = threeHogsOnOneCpu();
        m.notifyComplete(0);
        QueuedTask a = take(m);
        QueuedTask b = take(m);
        QueuedTask c = take(m);
        assertEquals(0, m.queuedInKernel());

        m.dispatch(to(a, 0).sliceNs(10_000_000_000L));
        m.dispatch(to(b, DispatchedTask.CPU_ANY));
        assertEquals("records in the dispatched ring count", 2, m.queuedInKernel());
        m.notifyComplete(1);    // a runs for its long slice: the clock jumps by a heartbeat
        assertEquals("a runs, b waits on the shared queue", 1, m.queuedInKernel());

        m.dispatch(to(c, 0));
        m.notifyComplete(0);
        assertEquals(2, m.queuedInKernel());
        assertEquals(1, m.counters().nrRunning());
    }

    @Test
    public void aCancelledDispatchIsNotCounted() throws Exception {
        SimulatedMachine m = threeHogsOnOneCpu();
        m.notifyComplete(0);
        QueuedTask a = take(m);
        m.dispatch(to(a, 0).enqCnt(a.enqCnt() - 1));
        assertEquals(1, m.queuedInKernel());
        m.notifyComplete(0);
        assertEquals(1, m.counters().nrCancelDispatches());
        assertEquals(0, m.queuedInKernel());
    }

    @Test
    public void aTaskLeavesTheCountWhenItRunsNotWhenItStops() throws Exception {
        SimulatedMachine m = threeHogsOnOneCpu();
        m.notifyComplete(0);
        QueuedTask a = take(m);
        QueuedTask b = take(m);
        take(m);
        m.dispatch(to(a, 0).sliceNs(1_000_000));
        m.dispatch(to(b, 0).sliceNs(10_000_000_000L));
        m.notifyComplete(1);    // a runs 1 ms and goes back to user space, b runs
        assertEquals(1, m.counters().nrQueued());
        assertEquals(1, m.counters().nrRunning());
        assertEquals(0, m.queuedInKernel());
    }

    @Test
    public void aNewWorkloadTakesItsPredecessorsQueuedTasksAlong() throws Exception {
        SimulatedMachine m = threeHogsOnOneCpu();
        m.notifyComplete(0);
        m.dispatch(to(take(m), 0).sliceNs(10_000_000_000L));
        m.dispatch(to(take(m), 0));
        m.notifyComplete(1);
        assertEquals(1, m.queuedInKernel());
        m.loadWorkload(Workload.parse("other", "other", "cpus=1\ngroup.x.run_us=100\ngroup.x.sleep_us=100"));
        m.notifyComplete(0);
        assertEquals(0, m.queuedInKernel());
    }

    @Test
    public void heldTasksAreTheMostAndTheMeanOverVirtualTime() throws Exception {
        SimulatedMachine m = machine("cpus=1", "group.hog.count=3", "group.hog.run_us=-1", "group.hog.start_us=500");
        m.notifyComplete(0);            // from 0: nothing held; jumps to the wakeups at 500 us
        long t0 = m.now();
        take(m);
        take(m);
        take(m);
        m.notifyComplete(3);            // from t0: 3 held
        long t1 = m.now();
        m.notifyComplete(1);            // from t1: 1 held
        assertEquals(3, m.heldTasks().max());
        assertEquals("3 held from t0 to t1, nothing before", 3.0 * (t1 - t0) / t1, m.heldTasks().mean(), 1e-9);
    }

    /**
     * a runs a 1 ms slice while b waits on the shared queue and user space holds c, which it then
     * dispatches with an earlier vtime than b's: which of b and c runs when a's slice ends.
     */
    private static String whoRunsAfterA(long budget) throws Exception {
        SimulatedMachine m = machine("cpus=1", "group.a.run_us=-1", "group.a.start_us=0", "group.b.run_us=-1",
                "group.b.start_us=0", "group.c.run_us=-1", "group.c.start_us=0");
        m.queueBudget(budget);
        m.notifyComplete(0);
        QueuedTask[] byPid = new QueuedTask[3];
        for (int i = 0; i < 3; i++) {
            QueuedTask q = take(m);
            byPid[q.pid() - 1000] = q;
        }
        m.dispatch(to(byPid[0], 0).sliceNs(1_000_000).vtime(100));
        m.dispatch(to(byPid[1], DispatchedTask.CPU_ANY).sliceNs(10_000_000_000L).vtime(100));
        m.notifyComplete(1);    // a runs, b waits; at a's slice end the CPU looks for the next task
        long runningAtSliceEnd = m.counters().nrRunning();
        m.dispatch(to(byPid[2], DispatchedTask.CPU_ANY).sliceNs(10_000_000_000L).vtime(1));
        m.notifyComplete(0);
        SimReport r = m.report();
        return runningAtSliceEnd + " running at a's slice end; b " + (r.group("b").latencySamples() > 0 ? "ran" : "waited")
                + ", c " + (r.group("c").latencySamples() > 0 ? "ran" : "waited");
    }

    @Test
    public void withABudgetAFreedCpuWaitsForUserSpacesChoice() throws Exception {
        assertEquals("1 running at a's slice end; b ran, c waited", whoRunsAfterA(0));
        assertEquals("0 running at a's slice end; b waited, c ran", whoRunsAfterA(3));
    }
}
