package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * A workload switched while the simulated scheduling thread holds a CPU leaves no task of the old
 * workload on that CPU: the new workload's kernel threads run there (a ghost task once kept a
 * kworker waiting until the watchdog ejected the scheduler).
 */
public class WorkloadSwitchOnTheSimulatorTest {

    @Test
    public void theIdleWorkloadAfterADesktopUnderBuildRunsToTheEnd() throws Exception {
        SimulatedMachine machine = new SimulatedMachine(Workload.builtIn("desktop-under-build"),
                SimOptions.builder().mode(SimOptions.Mode.FAST).durationMs(20_000).build());
        try (Scheduler scheduler = new Scheduler(DeadlinePolicy.NAME)) {
            scheduler.addPolicy(new DeadlinePolicy());
            scheduler.attach(machine);
            while (machine.now() < 1_000_000_000L && !machine.exited()) {
                Thread.sleep(1);
            }
            machine.loadWorkload("idle");
            assertTrue("the simulated run ended", scheduler.awaitLoopEnd(600_000));
            assertEquals("The simulation reached its duration of 20000 ms of virtual time.", machine.exitReason());
            assertEquals("idle", machine.workloadName());
        } finally {
            machine.shutDown("The test is over.");
        }
    }
}
