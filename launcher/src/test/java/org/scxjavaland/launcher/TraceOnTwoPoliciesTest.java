package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;
import org.scxjavaland.connector.internal.Scheduler;
import org.scxjavaland.lab.Provenance;
import org.scxjavaland.lab.ResultRow;
import org.scxjavaland.lab.Results;
import org.scxjavaland.lab.RunResult;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TracedTask;

/**
 * A trace replayed under the deadline and the fifo policy, through the real scheduling thread, as
 * each cell of a comparison runs it, gives the lab's results rows for every group under both
 * policies; the replay is closed-loop under either (each recorded burst wakes the task once).
 */
public class TraceOnTwoPoliciesTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    private static final int BURSTS = 200;

    /** cyclictest (1 ms period, 30 us bursts) and four CPU hogs on 2 CPUs, for 0.3 s. */
    private static Trace sleeperAmongHogs() {
        long[] runs = new long[BURSTS];
        long[] sleeps = new long[BURSTS];
        long[] latencies = new long[BURSTS];
        for (int i = 0; i < BURSTS; i++) {
            runs[i] = 30 * US;
            sleeps[i] = i == BURSTS - 1 ? -1 : 1 * MS;
            latencies[i] = 20 * US + (i % 10) * US;
        }
        List<TracedTask> tasks = new ArrayList<>();
        tasks.add(new TracedTask(500, 500, "cyclictest", 100, 2, -1, 1 * MS, runs, sleeps, latencies));
        for (int h = 0; h < 4; h++) {
            tasks.add(new TracedTask(600 + h, 600, "stress-ng-cpu", 100, 2, -1, 0, new long[] {150 * MS},
                    new long[] {-1}, new long[] {10 * US}));
        }
        return new Trace(1, 2, "hand-made", 300 * MS, tasks);
    }

    private static RunResult replay(String policy) throws Exception {
        Workload trace = Workload.fromTrace(sleeperAmongHogs(), "trace:hand-made");
        SimulatedMachine machine = new SimulatedMachine(trace, SimOptions.builder().seed(1)
                .mode(SimOptions.Mode.FAST).durationNs(trace.durationNs() * 4).build());
        try (Scheduler scheduler = new Scheduler(policy)) {
            scheduler.addPolicy(new DeadlinePolicy());
            scheduler.addPolicy(new FifoPolicy());
            scheduler.attach(machine);
            assertTrue("the replay ended", scheduler.awaitLoopEnd(600_000));
            return RunEnd.toRun(machine.report(), policy, machine.exitReason());
        } finally {
            machine.shutDown("The test is over.");
        }
    }

    @Test
    public void bothPoliciesGiveRowsForEveryGroupOfTheTrace() throws Exception {
        List<RunResult> runs = List.of(replay(DeadlinePolicy.NAME), replay(FifoPolicy.NAME));
        for (RunResult run : runs) {
            assertTrue(run.exitReason(), run.exitReason().contains("every recorded task ran all its bursts"));
            assertEquals(2, run.cpus());
            assertEquals("one wake-up per recorded burst under " + run.policy(), BURSTS,
                    run.groups().stream().filter(g -> g.name().equals("cyclictest")).findFirst().orElseThrow().wakeups());
        }
        Provenance provenance = new Provenance("test", "", "test", "", "", 1, 1, List.of("deadline", "fifo"), List.of(),
                List.of("trace:hand-made"), List.of(1L), 1200, "", 0);
        List<ResultRow> rows = Results.of(provenance, runs).rows();
        Set<String> seen = new TreeSet<>();
        for (ResultRow row : rows) {
            assertEquals("traced", row.kind());
            assertEquals("trace:hand-made", row.workload());
            seen.add(row.policy() + " " + row.group() + " " + row.figure());
        }
        for (String policy : List.of("deadline", "fifo")) {
            for (String figure : List.of("p50_us", "p99_us", "cpu_share_pct")) {
                assertTrue(seen.toString(), seen.contains(policy + " cyclictest " + figure));
                assertTrue(seen.toString(), seen.contains(policy + " stress-ng-cpu " + figure));
            }
        }
    }
}
