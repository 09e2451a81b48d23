package org.scxjavaland.sim;

import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * Measures the simulator's speed in fast mode on desktop-under-build with a FIFO driver and
 * prints it. Measures only: nothing here depends on how fast the machine is.
 */
public class SimulatorSpeedTest {

    @Test
    public void printsSimulatedTaskRunsPerWallSecond() throws Exception {
        // Warm up the JIT on a first machine, then measure a second one.
        run(20_000);
        long wallStart = System.nanoTime();
        SimulatedMachine m = run(100_000);
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        SimReport report = m.report();
        System.out.print(report.toTable());
        System.out.printf("simulator speed: %d task runs, %d events, %.1f virtual s in %.3f wall s"
                + " = %.0f task runs/s, %.0f events/s, %.0fx real time%n",
                m.taskRuns(), m.eventsProcessed(), report.elapsedNs() / 1e9, wallSeconds,
                m.taskRuns() / wallSeconds, m.eventsProcessed() / wallSeconds, report.elapsedNs() / 1e9 / wallSeconds);
        assertTrue("the run should have made progress", m.taskRuns() > 0);
    }

    private static SimulatedMachine run(long virtualMs) throws WorkloadException {
        SimulatedMachine m = new SimulatedMachine(Workload.load("desktop-under-build"),
                SimOptions.builder().durationMs(virtualMs).build());
        new FifoDriver(m, 1_000_000).runUntilExit(Long.MAX_VALUE);
        return m;
    }
}
