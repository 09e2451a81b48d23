package org.scxjavaland.sim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.scxjavaland.sim.Machines.US;
import static org.scxjavaland.sim.Machines.machine;
import static org.scxjavaland.sim.Machines.take;
import static org.scxjavaland.sim.Machines.to;

import org.junit.Test;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.sim.machine.SimulatedMachine;

/** The simulated machine with a topology: its idle pick, numa_local, and the cost model to the ns. */
public class TopologyMachineTest {

    /**
     * One core of two threads (CPUs 0 and 1) at half speed together: a alone from 0 to 500 us (500 us
     * of work), then both at half speed; a needs 500 us more, done at 1500; b has done 500 by then and
     * does its last 500 alone, done at 2000.
     */
    @Test
    public void smtSiblingsShareTheCoreToTheNanosecond() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().directIdleDispatch(true).durationMs(5),
                "topology=cores-per-llc=1,threads-per-core=2,smt-speed=0.5",
                "group.a.run_us=1000", "group.a.sleep_us=1000000", "group.a.jitter=0", "group.a.start_us=0",
                "group.a.affinity=0",
                "group.b.run_us=1000", "group.b.sleep_us=1000000", "group.b.jitter=0", "group.b.start_us=500",
                "group.b.affinity=1");
        new FifoDriver(m, 0).runUntilExit(Long.MAX_VALUE);
        SimReport r = m.report();
        assertEquals(1500 * US, r.group("a").cpuNs());
        assertEquals(1500 * US, r.group("b").cpuNs());
        SimReport.TopologyFigures t = r.topology();
        assertEquals("1000 us each beside a busy sibling", 2000 * US, t.smtSharedNs());
        assertEquals("half of it lost", 1000 * US, t.smtLostNs());
        assertEquals(0, t.refillNs());
    }

    /**
     * Four single-thread cores, one per LLC, two LLCs per node. A task of 1 ms bursts dispatched
     * by hand to CPU 0, then 1 (another LLC), 3 (another node), 3 again: its runs take 1000, 1030,
     * 1060 and 1000 us, and its wake-ups count by where they ran.
     */
    @Test
    public void aTaskThatLeavesItsLlcOrNodeRefillsItsCache() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder(),
                "topology=nodes=2,llcs-per-node=2,cores-per-llc=1,llc-refill-us=30,node-refill-us=60",
                "group.a.run_us=1000", "group.a.sleep_us=1000", "group.a.jitter=0", "group.a.start_us=0");
        m.notifyComplete(0);            // to the first wake-up
        QueuedTask q = take(m);
        int[] cpus = {0, 1, 3, 3};
        long[] runs = new long[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            m.dispatch(to(q, cpus[i]));
            m.notifyComplete(0);        // runs until its burst ends
            m.notifyComplete(0);        // sleeps until it wakes again
            q = take(m);
            assertEquals(cpus[i], q.cpu());
            runs[i] = q.stopTs() - q.startTs();
        }
        assertArrayEquals(new long[] {1000 * US, 1030 * US, 1060 * US, 1000 * US}, runs);
        SimReport.TopologyFigures t = m.report().topology();
        assertEquals("the first run has no cache to lose", 3, t.wakeups());
        assertEquals(1, t.wakeupsSameCpu());
        assertEquals(1, t.wakeupsOtherLlc());
        assertEquals(1, t.wakeupsOtherNode());
        assertEquals(1, t.llcRefills());
        assertEquals(1, t.nodeRefills());
        assertEquals(90 * US, t.refillNs());
        assertEquals(4090 * US, m.report().group("a").cpuNs());
    }

    /** One node, one LLC, cores {0,2} and {1,3}; a hog holds CPU 0. */
    private static SimulatedMachine hogOnCpuZero(SimOptions.Builder options, String topology) throws Exception {
        SimulatedMachine m = machine(options.directIdleDispatch(true), "topology=" + topology,
                "group.hog.run_us=-1", "group.hog.affinity=0", "group.hog.start_us=0",
                "group.x.run_us=100", "group.x.sleep_us=1000", "group.x.start_us=10000000");
        m.notifyComplete(0);
        assertEquals(1, m.counters().nrRunning());
        return m;
    }

    @Test
    public void selectCpuFollowsTheTopologyUnlessThePickIsFlat() throws Exception {
        String shape = "cores-per-llc=2,threads-per-core=2";
        assertEquals("CPU 2's core is busy: the idle core's CPU 3", 3,
                hogOnCpuZero(SimOptions.builder(), shape).selectCpu(1001, 2, 0));
        assertEquals("the flat pick keeps the idle CPU 2 beside the hog", 2,
                hogOnCpuZero(SimOptions.builder().idlePick(SimOptions.IdlePick.FLAT), shape).selectCpu(1001, 2, 0));
    }

    @Test
    public void numaLocalKeepsSelectCpuInTheNode() throws Exception {
        String twoNodes = "nodes=2,cores-per-llc=1";
        assertEquals(1, hogOnCpuZero(SimOptions.builder(), twoNodes).selectCpu(1001, 0, 0));
        assertEquals("CPU 1 is on the other node", -1,
                hogOnCpuZero(SimOptions.builder().numaLocal(true), twoNodes).selectCpu(1001, 0, 0));
    }

    @Test
    public void aFlatMachineReportsNoTopology() throws Exception {
        SimulatedMachine m = machine("cpus=2", "group.a.run_us=-1");
        assertEquals(null, m.report().topology());
    }
}
