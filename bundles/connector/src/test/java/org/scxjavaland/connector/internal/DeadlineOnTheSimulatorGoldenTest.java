package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.Test;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * What a user runs, pinned: the deadline policy on the simulated machine in fast mode, through the
 * real scheduling thread, gives the same figures for a given seed, to the nanosecond. The digests
 * were computed with the code before the speed work on the deadline queue, the connector and the
 * simulator (54e8701), and the code since gives the same. A change meant to alter what is
 * simulated or how the policy orders records new digests (the failure message prints the table)
 * and says why in its commit. These runs keep the free scheduling thread of that time explicitly
 * (its costs 0); the last two pin the scheduling thread's default cost.
 */
public class DeadlineOnTheSimulatorGoldenTest {

    @Test
    public void desktopUnderBuildOnEightCpus() throws Exception {
        assertDigest("fa448a57", run("desktop-under-build", 8, 1));
    }

    @Test
    public void serverOnSixtyFourCpus() throws Exception {
        assertDigest("eed76dfe", run("server", 64, 7));
    }

    @Test
    public void desktopUnderBuildOnEightCpusWithTheSchedulersDefaultCost() throws Exception {
        assertDigest("9d78ecf7", run("desktop-under-build", 8, 1, SimOptions.builder()));
    }

    @Test
    public void serverOnSixtyFourCpusWithTheSchedulersDefaultCost() throws Exception {
        assertDigest("9df432dc", run("server", 64, 7, SimOptions.builder()));
    }

    private static String run(String workload, int cpus, long seed) throws Exception {
        return run(workload, cpus, seed, SimOptions.builder().freeScheduler());
    }

    private static String run(String workload, int cpus, long seed, SimOptions.Builder options) throws Exception {
        SimulatedMachine machine = new SimulatedMachine(Workload.builtIn(workload),
                options.cpus(cpus).seed(seed).mode(SimOptions.Mode.FAST).durationMs(2_000).build());
        try (Scheduler scheduler = new Scheduler(DeadlinePolicy.NAME)) {
            scheduler.addPolicy(new DeadlinePolicy());
            scheduler.attach(machine);
            assertTrue("the simulated run ended", scheduler.awaitLoopEnd(600_000));
            return machine.report().toTable() + machine.taskRuns() + " runs, " + machine.eventsProcessed() + " events";
        } finally {
            machine.shutDown("The test is over.");
        }
    }

    private static void assertDigest(String expected, String run) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(run.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            hex.append(String.format("%02x", hash[i]));
        }
        assertEquals("the run's figures changed:\n" + run, expected, hex.toString());
    }
}
