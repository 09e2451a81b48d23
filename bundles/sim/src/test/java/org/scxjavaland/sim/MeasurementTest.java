package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.scxjavaland.sim.Machines.MS;
import static org.scxjavaland.sim.Machines.US;
import static org.scxjavaland.sim.Machines.machine;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;

/**
 * Measurements on tiny workloads whose every step can be followed by hand (one CPU, no jitter,
 * fixed start times, a FIFO driver; a round costs 2 us).
 */
public class MeasurementTest {

    /** Latencies are exact below 2048 ns and within 0.1% above (3 significant digits). */
    private static void assertLatency(String what, long expectedNs, long actualNs) {
        assertEquals(what, expectedNs, actualNs, Math.max(1, expectedNs / 1000.0));
    }

    /** One CPU: a hog from 0 us and b, which wakes once at 1000 us for 100 us of work. */
    private static SimulatedMachine hogAndOneWakeUp(long durationNs) throws WorkloadException {
        return machine(SimOptions.builder().freeScheduler().durationNs(durationNs),
                "cpus=1",
                "group.hog.run_us=-1", "group.hog.start_us=0",
                "group.b.run_us=100", "group.b.sleep_us=100000", "group.b.start_us=1000", "group.b.jitter=0");
    }

    @Test
    public void wakeToRunLatencyAndCpuTimeBehindAHog() throws Exception {
        // 0 us: the hog wakes; user space dispatches it in the next round: it runs at 2 us for a 5 ms slice.
        // 1000 us: b wakes; dispatched at 1002 us to the shared queue, where it waits for the CPU.
        // 5002 us: the hog's slice ends with b waiting: b runs (latency 4002 us), the hog is queued again.
        // 5102 us: b's burst is done; the hog (dispatched again at 5004 us) runs until the end at 6000 us.
        SimulatedMachine m = hogAndOneWakeUp(6 * MS);
        new FifoDriver(m, 5 * MS).runUntilExit(1_000_000);

        SimReport r = m.report();
        assertEquals(6 * MS, r.elapsedNs());
        SimReport.GroupReport hog = r.group("hog");
        SimReport.GroupReport b = r.group("b");
        assertEquals(1, hog.wakeups());
        assertEquals(1, b.wakeups());
        assertLatency("hog: one round", 2 * US, hog.maxNs());
        assertLatency("b: behind the hog's slice", 4002 * US, b.p50Ns());
        assertLatency("b: behind the hog's slice", 4002 * US, b.maxNs());
        assertEquals("hog: 2..5002 us and 5102..6000 us", 5000 * US + 898 * US, hog.cpuNs());
        assertEquals(100 * US, b.cpuNs());
        assertEquals(100.0 * 5898 / 6000, hog.cpuSharePct(), 1e-9);
        assertEquals(5898.0 / 6000, hog.cpuPerSecond(), 1e-9);
        assertEquals("hog twice, b once", 3, r.taskRuns());
        assertLatency("b's one wake-up is its 99.9th percentile too", 4002 * US, b.p999Ns());
        assertEquals(SimReport.CURVE_PERCENTILES.size(), b.latencyCurve().size());
        for (SimReport.LatencyPoint point : b.latencyCurve()) {
            assertLatency("b at " + point.percentile() + "%", 4002 * US, point.ns());
        }
    }

    @Test
    public void aPolicyActivationStartsTheFiguresAfresh() throws Exception {
        // As in the test above, b's one wake-up (4002 us behind the hog) is over by 5102 us; a policy
        // activated after it starts a table that holds only the hog's runs to the end at 20 ms.
        SimulatedMachine m = hogAndOneWakeUp(20 * MS);
        FifoDriver driver = new FifoDriver(m, 5 * MS);
        while (m.now() < 5200 * US) {
            driver.round();
        }
        long activatedAt = m.now();
        long runsBefore = m.report().taskRuns();
        m.policyActivated("another");
        driver.runUntilExit(1_000_000);

        SimReport r = m.report();
        org.junit.Assert.assertTrue("activated before the end: " + activatedAt, activatedAt < 20 * MS);
        assertEquals(20 * MS - activatedAt, r.elapsedNs());
        assertEquals("b's wake-up was before the activation", 0, r.group("b").wakeups());
        assertEquals(0, r.group("b").cpuNs());
        org.junit.Assert.assertTrue("the hog ran at most the time since", r.group("hog").cpuNs() <= r.elapsedNs());
        org.junit.Assert.assertTrue("runs counted since the activation only", r.taskRuns() < runsBefore + 3);
    }

    @Test
    public void theLatencyCurveRisesFromTheLeastToTheWorstWakeUp() throws Exception {
        // b wakes about 45 times (100 us of work, about 1000 us asleep, jittered) beside a hog on two
        // CPUs; what is checked is the curve's shape: it spans the least (0%) to the worst (100%)
        // wake-up and never falls, and p50 <= p99 <= p99.9 <= max.
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().durationNs(50 * MS),
                "cpus=2",
                "group.hog.run_us=-1", "group.hog.start_us=0",
                "group.b.run_us=100", "group.b.sleep_us=1000", "group.b.start_us=1000", "group.b.jitter=0.5");
        new FifoDriver(m, 5 * MS).runUntilExit(1_000_000);

        SimReport.GroupReport b = m.report().group("b");
        java.util.List<SimReport.LatencyPoint> curve = b.latencyCurve();
        assertEquals(0.0, curve.get(0).percentile(), 0);
        assertEquals(100.0, curve.get(curve.size() - 1).percentile(), 0);
        assertEquals("the curve ends at the worst wake-up", b.maxNs(), curve.get(curve.size() - 1).ns());
        for (int i = 1; i < curve.size(); i++) {
            org.junit.Assert.assertTrue("the curve falls at " + curve.get(i).percentile() + "%",
                    curve.get(i).ns() >= curve.get(i - 1).ns());
        }
        org.junit.Assert.assertTrue(b.p50Ns() <= b.p99Ns() && b.p99Ns() <= b.p999Ns() && b.p999Ns() <= b.maxNs());
    }

    @Test
    public void missedPeriodsOfAPeriodicTaskStuckBehindAHog() throws Exception {
        // The hog holds the CPU for its default 20 ms slice from 2 us, then again from 21002 us.
        // The periodic task is released at 1 ms, 11 ms, 21 ms and 31 ms:
        //   1 ms: released, waits for the CPU until 20002 us (latency 19002 us)
        //  11 ms: still waiting: missed
        //  21 ms: still running (20002..21002 us): missed
        //  31 ms: asleep: released, waits behind the hog's slice until 41002 us (after the end)
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().durationNs(40 * MS),
                "cpus=1",
                "group.hog.run_us=-1", "group.hog.start_us=0",
                "group.p.period_us=10000", "group.p.run_us=1000", "group.p.start_us=1000", "group.p.jitter=0");
        new FifoDriver(m, 0).runUntilExit(1_000_000);

        SimReport.GroupReport p = m.report().group("p");
        assertEquals(4, p.periods());
        assertEquals(2, p.missedPeriods());
        assertEquals("released twice, missed twice", 2, p.wakeups());
        assertEquals("only the first release has run", 1, p.latencySamples());
        assertLatency("waited for the hog's slice", 19_002 * US, p.maxNs());
        assertEquals(1 * MS, p.cpuNs());
    }
}
