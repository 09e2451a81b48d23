package org.scxjavaland.sim.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;

import org.junit.Test;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.sim.WorkloadException;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TracedTask;

/** The ConfigAdmin keys of org.scxjavaland.sim. */
public class SimConfigTest {

    @Test
    public void defaultsRunDesktopUnderBuildOnItsCpus() throws Exception {
        SimConfig c = SimConfig.from(Map.of());
        assertEquals("desktop-under-build", c.workload().name());
        assertEquals(4, c.options().cpus());
        assertEquals(1, c.options().seed());
        assertEquals(SimOptions.Mode.FAST, c.options().mode());
        assertEquals(0, c.options().durationNs());
        assertEquals(SimOptions.DEFAULT_SCHED_ROUND_NS, c.options().schedRoundNs());
        assertEquals(SimOptions.DEFAULT_SCHED_TASK_NS, c.options().schedTaskNs());
        assertTrue(c.options().schedulerOnCpus());
    }

    @Test
    public void theSchedulersCostIsReadAndZeroZeroMakesItFree() throws Exception {
        SimConfig c = SimConfig.from(Map.of("sched_round_ns", "5000", "sched_task_ns", 120L));
        assertEquals(5000, c.options().schedRoundNs());
        assertEquals(120, c.options().schedTaskNs());
        SimConfig free = SimConfig.from(Map.of("sched_round_ns", "0", "sched_task_ns", "0"));
        assertTrue(!free.options().schedulerOnCpus());
        assertTrue("a new machine for another cost", !c.shape().equals(free.shape()));
    }

    @Test
    public void stringsAndNumbersAreRead() throws Exception {
        SimConfig c = SimConfig.from(Map.of("workload", "server", "cpus", "6", "seed", 9L, "mode", "Paced",
                "duration_ms", "1500"));
        assertEquals("server", c.workload().name());
        assertEquals(6, c.options().cpus());
        assertEquals(9, c.options().seed());
        assertEquals(SimOptions.Mode.PACED, c.options().mode());
        assertEquals(1_500_000_000L, c.options().durationNs());
        assertEquals("server's own cpus when unset", 8, SimConfig.from(Map.of("workload", "server")).options().cpus());
    }

    @Test
    public void badValuesGetOneSentence() throws Exception {
        assertBad(Map.of("cpus", "many"), "org.scxjavaland.sim: cpus is 'many', expected a whole number of CPUs");
        assertBad(Map.of("cpus", "0"), "cpus is '0'");
        assertBad(Map.of("seed", "x1"), "seed is 'x1', expected a whole number.");
        assertBad(Map.of("mode", "slow"), "mode is 'slow', expected fast or paced.");
        assertBad(Map.of("duration_ms", "-5"), "duration_ms is '-5'");
        assertBad(Map.of("sched_round_ns", "-1"), "org.scxjavaland.sim: sched_round_ns is '-1', expected a number of virtual ns"
                + " from 0 to 10000000.");
        assertBad(Map.of("sched_task_ns", "20000000"), "sched_task_ns is '20000000'");
        assertBad(Map.of("workload", "nope"), "There is no built-in workload named 'nope'");
    }

    @Test
    public void theShapeTellsWhenANewMachineIsNeeded() throws Exception {
        SimConfig a = SimConfig.from(Map.of("workload", "desktop-under-build"));
        SimConfig b = SimConfig.from(Map.of("workload", "idle"));
        SimConfig c = SimConfig.from(Map.of("workload", "idle", "seed", "2"));
        assertEquals("same cpus, seed, mode, duration: switch the workload only", a.shape(), b.shape());
        assertTrue(!b.shape().equals(c.shape()));
    }

    @Test
    public void theMachinesTopologyPickAndNumaLocal() throws Exception {
        SimConfig c = SimConfig.from(Map.of("topology", "nodes=2,cores-per-llc=4,threads-per-core=2", "idle_pick", "Flat",
                "numa_local", "true"));
        assertEquals("the topology's CPUs", 16, c.options().cpus());
        assertEquals(16, c.options().topology().cpus());
        assertEquals(SimOptions.IdlePick.FLAT, c.options().idlePick());
        assertTrue(c.options().numaLocal());
        SimConfig plain = SimConfig.from(Map.of());
        assertEquals(SimOptions.IdlePick.TOPOLOGY, plain.options().idlePick());
        assertTrue(!plain.options().numaLocal());
        assertTrue("a new topology needs a new machine", !plain.shape().equals(
                SimConfig.from(Map.of("topology", "cores-per-llc=2,threads-per-core=2")).shape()));
        assertTrue(!plain.shape().equals(SimConfig.from(Map.of("numa_local", "true")).shape()));
        assertBad(Map.of("topology", "cores-per-llc=0"),
                "org.scxjavaland.sim: The topology 'cores-per-llc=0' is wrong: cores-per-llc is '0'");
        assertBad(Map.of("topology", "cores-per-llc=4", "cpus", "2"), "cpus is 2 but the topology");
        assertBad(Map.of("idle_pick", "nearest"), "idle_pick is 'nearest', expected topology or flat.");
        assertBad(Map.of("numa_local", "yes"), "numa_local is 'yes', expected true or false.");
    }

    private static void assertBad(Map<String, ?> props, String expected) {
        try {
            SimConfig.from(props);
            fail("accepted " + props);
        } catch (IllegalArgumentException | WorkloadException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.getMessage(), e.getMessage().endsWith("."));
        }
    }

    @Test
    public void aTraceRunsOnItsCpusForItsDurationUnlessTold() throws Exception {
        TracedTask t = new TracedTask(1, 1, "a", 100, 6, -1, 0, new long[] {1000}, new long[] {-1}, new long[0]);
        Workload trace = Workload.fromTrace(new Trace(1, 6, "test", 2_500_000_000L, java.util.List.of(t)), "t");
        SimOptions unset = SimConfig.options(trace, 0, 1, SimOptions.Mode.FAST, -1, 0);
        assertEquals(6, unset.cpus());
        assertEquals(2_500_000_000L, unset.durationNs());
        SimOptions told = SimConfig.options(trace, 2, 1, SimOptions.Mode.FAST, 300, 0);
        assertEquals(2, told.cpus());
        assertEquals(300_000_000L, told.durationNs());
        assertEquals("0 runs until the replay ends", 0, SimConfig.options(trace, 0, 1, SimOptions.Mode.FAST, 0, 0)
                .durationNs());
        assertEquals("a workload file runs forever", 0,
                SimConfig.options(Workload.load("server"), 0, 1, SimOptions.Mode.FAST, -1, 0).durationNs());
    }
}
