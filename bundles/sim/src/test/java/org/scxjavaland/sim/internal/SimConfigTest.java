package org.scxjavaland.sim.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;

import org.junit.Test;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.WorkloadException;

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

    private static void assertBad(Map<String, ?> props, String expected) {
        try {
            SimConfig.from(props);
            fail("accepted " + props);
        } catch (IllegalArgumentException | WorkloadException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.getMessage(), e.getMessage().endsWith("."));
        }
    }
}
