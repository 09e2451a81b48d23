package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.scxjavaland.sim.Machines.machine;
import static org.scxjavaland.sim.Machines.take;
import static org.scxjavaland.sim.Machines.to;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

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
}
