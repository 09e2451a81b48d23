package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/** Same workload, options, seed and driver: the same report, to the nanosecond. */
public class DeterminismTest {

    private static SimReport run(String workload, long seed) throws WorkloadException {
        SimulatedMachine m = new SimulatedMachine(Workload.load(workload),
                SimOptions.builder().seed(seed).durationMs(2_000).build());
        new FifoDriver(m, 3_000_000).runUntilExit(Long.MAX_VALUE);
        assertTrue(m.exited());
        return m.report();
    }

    @Test
    public void theSameSeedGivesTheSameReport() throws Exception {
        for (String workload : Workload.BUILT_IN) {
            SimReport first = run(workload, 42);
            SimReport second = run(workload, 42);
            assertEquals(workload, first, second);
            assertEquals(workload, first.toTable(), second.toTable());
        }
    }

    @Test
    public void anotherSeedGivesAnotherRun() throws Exception {
        assertNotEquals(run("server", 1), run("server", 2));
    }
}
