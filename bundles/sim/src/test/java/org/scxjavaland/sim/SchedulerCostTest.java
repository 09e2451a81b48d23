package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.scxjavaland.sim.Machines.MS;
import static org.scxjavaland.sim.Machines.US;
import static org.scxjavaland.sim.Machines.machine;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;

/** The scheduling thread as a task of the simulated machine: it needs a CPU, and its rounds cost time. */
public class SchedulerCostTest {
    private static final long ROUND_NS = 7_000;
    private static final long TASK_NS = 300;

    /** Runs FIFO rounds until the clock reaches {@code untilNs}, then stops the machine at that round's end. */
    private static SimReport runUntil(SimulatedMachine m, long untilNs) {
        FifoDriver driver = new FifoDriver(m, 0);
        while (m.now() < untilNs && !m.exited()) {
            driver.round();
        }
        m.shutDown("The test is over.");
        driver.round(); // the machine settles the running tasks' CPU time
        return m.report();
    }

    /** Latencies are exact below 2048 ns and within 0.1% above (3 significant digits). */
    private static void assertLatency(String what, long expectedNs, long actualNs) {
        assertEquals(what, expectedNs, actualNs, Math.max(1, expectedNs / 1000.0));
    }

    private static String[] hogAndSleeper(int cpus, int hogs) {
        return new String[] {"cpus=" + cpus,
            "group.hog.count=" + hogs, "group.hog.run_us=-1", "group.hog.start_us=0",
            "group.b.run_us=100", "group.b.sleep_us=900", "group.b.start_us=500", "group.b.jitter=0"};
    }

    @Test
    public void onOneCpuTheSchedulersTimeIsTakenFromTheTasksAndIsRoundsTimesItsCostPerRoundPlusTasksTimesItsCostPerTask()
            throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().schedRoundNs(ROUND_NS).schedTaskNs(TASK_NS),
                hogAndSleeper(1, 1));
        SimReport r = runUntil(m, 100 * MS);

        SimReport.SchedulerReport s = r.scheduler();
        long hog = r.group("hog").cpuNs();
        long b = r.group("b").cpuNs();
        assertTrue("the scheduler ran rounds: " + s, s.rounds() >= 100);
        assertEquals("every record dequeued is dispatched in its round", 2 * r.counters().nrUserDispatches(),
                s.tasksHandled());
        assertEquals(s.rounds() * ROUND_NS + s.tasksHandled() * TASK_NS, s.cpuNs());
        assertEquals("the one CPU ran the hog, the sleeper or the scheduler all the time", r.elapsedNs(),
                hog + b + s.cpuNs());
        assertTrue("the sleeper's wake-ups preempted the hog for the scheduler: " + s, s.preemptKicks() >= 99);
        assertTrue(r.toTable(), r.toTable().contains("scheduler: " + s.rounds() + " rounds"));
    }

    @Test
    public void freeSchedulerHasNoFigures() throws Exception {
        SimulatedMachine m = machine(hogAndSleeper(1, 1));
        SimReport r = runUntil(m, 10 * MS);
        assertNull(r.scheduler());
        assertTrue(r.toTable(), !r.toTable().contains("scheduler:"));
    }

    /**
     * A woken sleeper waits for one round: on an idle machine the scheduler takes an idle CPU at
     * once, and the round handles the sleeper's record twice (dequeued, dispatched); on a machine
     * whose CPUs all run hogs it preempts the hog on the sleeper's CPU, which goes to user space
     * too, so the round handles two records more. Either way the wait grows with the round's cost.
     */
    @Test
    public void aWokenSleeperWaitsForTheRoundAndOnASaturatedMachineForTheHogItPreempts() throws Exception {
        for (long round : new long[] {1_000, 10_000, 100_000}) {
            SimReport idle = runUntil(machine(SimOptions.builder().schedRoundNs(round).schedTaskNs(TASK_NS),
                    hogAndSleeper(2, 0)), 50 * MS);
            SimReport saturated = runUntil(machine(SimOptions.builder().schedRoundNs(round).schedTaskNs(TASK_NS),
                    hogAndSleeper(2, 2)), 50 * MS);
            assertLatency("idle, round " + round, round + 2 * TASK_NS, idle.group("b").p50Ns());
            assertLatency("idle, round " + round, round + 2 * TASK_NS, idle.group("b").maxNs());
            assertLatency("saturated, round " + round, round + 4 * TASK_NS, saturated.group("b").p50Ns());
            assertLatency("saturated, round " + round, round + 4 * TASK_NS, saturated.group("b").maxNs());
            assertTrue(saturated.scheduler().preemptKicks() >= saturated.group("b").wakeups() - 1);
            assertEquals(0, idle.scheduler().preemptKicks());
        }
    }

    /**
     * The scheduler's CPU time comes out of the hogs' on a saturated machine: the hogs, the sleeper
     * and the scheduler fill the machine, and the dearer the rounds, the less the hogs get.
     */
    @Test
    public void dearerRoundsLeaveTheHogsLessCpuTime() throws Exception {
        long previousHogNs = Long.MAX_VALUE;
        for (long round : new long[] {1_000, 10_000, 100_000}) {
            SimReport r = runUntil(machine(SimOptions.builder().schedRoundNs(round).schedTaskNs(TASK_NS),
                    hogAndSleeper(2, 2)), 50 * MS);
            long hog = r.group("hog").cpuNs();
            long firstRound = round + 4 * TASK_NS; // the two hogs' records: the other CPU idles meanwhile
            assertEquals(2 * r.elapsedNs() - firstRound, hog + r.group("b").cpuNs() + r.scheduler().cpuNs());
            assertTrue("round " + round + ": hogs " + hog + " ns, before " + previousHogNs, hog < previousHogNs);
            previousHogNs = hog;
        }
    }

    /**
     * A kernel thread is not preempted for the scheduling thread: a sleeper that wakes while one
     * runs on the only CPU waits until the kernel thread's burst ends, then for a whole round.
     */
    @Test
    public void withNoCpuToTakeTheSchedulerWaitsForOneToFreeUp() throws Exception {
        String[] workload = {"cpus=1",
            "group.k.kthread=true", "group.k.run_us=2000", "group.k.sleep_us=8000", "group.k.start_us=0", "group.k.jitter=0",
            "group.b.run_us=100", "group.b.period_us=10000", "group.b.start_us=500", "group.b.jitter=0"};
        SimReport r = runUntil(machine(SimOptions.builder().schedRoundNs(ROUND_NS).schedTaskNs(TASK_NS), workload), 100 * MS);
        // b wakes at 500 us of each 10 ms, k runs from 0 to 2000 us of each: the round starts at 2000 us.
        assertLatency("b", 1500 * US + ROUND_NS + 2 * TASK_NS, r.group("b").p50Ns());
        assertLatency("b", 1500 * US + ROUND_NS + 2 * TASK_NS, r.group("b").maxNs());
        assertEquals(0, r.scheduler().preemptKicks());
    }
}
