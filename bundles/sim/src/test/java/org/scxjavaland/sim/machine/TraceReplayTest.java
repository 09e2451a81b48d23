package org.scxjavaland.sim.machine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.sim.FifoDriver;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.WorkloadException;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TracedTask;

/**
 * A recorded trace replayed on the simulated machine: each task runs exactly its recorded bursts,
 * each sleep starts when the burst ends here (closed loop), pinned tasks stay on their CPU (or on
 * the CPU it maps to on a smaller machine), and the replay ends when the last task has.
 */
public class TraceReplayTest {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    private static final int BURSTS = 40;

    /** A periodic sleeper pinned to CPU 0 and two CPU hogs, recorded on 2 CPUs. */
    static Trace sleeperAmongHogs() {
        long[] runs = new long[BURSTS];
        long[] sleeps = new long[BURSTS];
        long[] latencies = new long[BURSTS];
        for (int i = 0; i < BURSTS; i++) {
            runs[i] = 100 * US + i * US;
            sleeps[i] = i == BURSTS - 1 ? -1 : 1 * MS;
            latencies[i] = (i + 1) * 10 * US;
        }
        TracedTask sleeper = new TracedTask(200, 200, "cyclictest", 100, 1, 0, 1 * MS, runs, sleeps, latencies);
        TracedTask hog1 = new TracedTask(300, 300, "stress-ng-cpu", 100, 2, -1, 0,
                new long[] {80 * MS}, new long[] {-1}, new long[] {5 * US});
        TracedTask hog2 = new TracedTask(301, 300, "stress-ng-cpu", 100, 2, -1, 0,
                new long[] {30 * MS, 50 * MS}, new long[] {2 * MS, -1}, new long[] {5 * US, 7 * US});
        return new Trace(1, 2, "hand-made", 90 * MS, List.of(sleeper, hog1, hog2));
    }

    /** FIFO to any CPU (one slice for all), noting on which CPUs each task's records say it last ran. */
    private static final class WatchingFifo {
        final Map<Integer, Set<Integer>> cpusOfPid = new HashMap<>();
        final Map<Integer, Set<Integer>> allowedOfPid = new HashMap<>();
        /** When each task's wake-ups reached user space (the clock at the round that dequeued them). */
        final Map<Integer, List<Long>> wakeupsOfPid = new HashMap<>();
        private final SimulatedMachine m;
        private final long sliceNs;
        private final ArrayDeque<QueuedTask> held = new ArrayDeque<>();
        private final DispatchedTask d = new DispatchedTask();

        WatchingFifo(SimulatedMachine m, long sliceNs) {
            this.m = m;
            this.sliceNs = sliceNs;
        }

        WatchingFifo runUntilExit() {
            for (long round = 0; !m.exited(); round++) {
                if (round > 10_000_000) {
                    fail("the replay did not end");
                }
                QueuedTask q = new QueuedTask();
                while (m.dequeue(q)) {
                    cpusOfPid.computeIfAbsent(q.pid(), p -> new TreeSet<>()).add(q.cpu());
                    allowedOfPid.computeIfAbsent(q.pid(), p -> new TreeSet<>()).add((int) q.nrCpusAllowed());
                    if ((q.flags() & SimulatedMachine.ENQ_WAKEUP) != 0) {
                        wakeupsOfPid.computeIfAbsent(q.pid(), p -> new ArrayList<>()).add(m.now());
                    }
                    held.add(q);
                    q = new QueuedTask();
                }
                while (!held.isEmpty() && m.dispatch(d.prepare(held.peek()).cpu(DispatchedTask.CPU_ANY).sliceNs(sliceNs))) {
                    held.poll();
                }
                m.notifyComplete(held.size());
            }
            return this;
        }
    }

    private static SimulatedMachine machine(Trace trace, SimOptions.Builder options) throws WorkloadException {
        return new SimulatedMachine(Workload.fromTrace(trace, "hand-made"), options.build());
    }

    @Test
    public void eachTaskRunsExactlyItsRecordedBurstsAndWakesOncePerBurst() throws Exception {
        Trace trace = sleeperAmongHogs();
        SimulatedMachine m = machine(trace, SimOptions.builder());
        new WatchingFifo(m, 20 * MS).runUntilExit();
        assertTrue(m.exitReason(), m.exitReason().contains("every recorded task ran all its bursts"));
        SimReport r = m.report();
        assertEquals(2, r.cpus());
        SimReport.GroupReport sleeper = r.group("cyclictest");
        SimReport.GroupReport hogs = r.group("stress-ng-cpu");
        assertEquals("traced", sleeper.kind());
        assertEquals(trace.tasks().get(0).cpuNs(), sleeper.cpuNs());
        assertEquals(trace.tasks().get(1).cpuNs() + trace.tasks().get(2).cpuNs(), hogs.cpuNs());
        assertEquals("one wake-up per recorded burst", BURSTS, sleeper.wakeups());
        assertEquals(BURSTS, sleeper.latencySamples());
        assertEquals(3, hogs.wakeups());
        assertEquals(2, hogs.tasks());
    }

    @Test
    public void aSleepStartsWhenTheBurstEndsInTheReplayNotAtTheRecordedTime() throws Exception {
        TracedTask recorded = sleeperAmongHogs().tasks().get(0);
        // Slices of 20 ms: while the hogs run, each wake-up of the pinned sleeper waits behind one
        // (with a free scheduler: one that needs a CPU would preempt a hog for it).
        SimulatedMachine m = machine(sleeperAmongHogs(), SimOptions.builder().freeScheduler());
        WatchingFifo fifo = new WatchingFifo(m, 20 * MS).runUntilExit();
        List<Long> wakeups = fifo.wakeupsOfPid.get(pidOf(m, fifo, Set.of(1)));
        assertEquals("one wake-up per recorded burst", BURSTS, wakeups.size());
        long recordedSpan = 0;
        long replayedSpan = wakeups.get(BURSTS - 1) - wakeups.get(0);
        for (int i = 0; i + 1 < BURSTS; i++) {
            long gap = wakeups.get(i + 1) - wakeups.get(i);
            long runThenSleep = recorded.runNs()[i] + recorded.sleepNs()[i];
            // a wake-up comes a burst and a sleep after the previous one ran, never sooner (one
            // scheduling round, 2 us, is the most by which the records' clock can be late)
            assertTrue("wake-up " + (i + 1) + " came " + gap + " ns after the previous one, its burst and sleep take "
                    + runThenSleep, gap >= runThenSleep - 2 * US);
            recordedSpan += runThenSleep;
        }
        // and the waits behind the hogs pushed the rest of its life later, by at least one slice
        assertTrue("replayed over " + replayedSpan + " ns, recorded over " + recordedSpan,
                replayedSpan > recordedSpan + 20 * MS);
        assertTrue(m.report().group("cyclictest").p99Ns() > 1 * MS);
    }

    @Test
    public void aPinnedTaskNeverRunsOnAnotherCpu() throws Exception {
        SimulatedMachine m = machine(sleeperAmongHogs(), SimOptions.builder());
        WatchingFifo fifo = new WatchingFifo(m, 1 * MS).runUntilExit();
        int sleeperPid = pidOf(m, fifo, Set.of(1));
        assertEquals(Set.of(0), fifo.cpusOfPid.get(sleeperPid));
        assertTrue("the hogs used both CPUs: " + fifo.cpusOfPid, fifo.cpusOfPid.values().stream()
                .anyMatch(cpus -> cpus.size() == 2));
    }

    @Test
    public void tasksPinnedToCpusTheMachineLacksArePinnedToTheirCpuModuloItsCpus() throws Exception {
        long[] runs = {200 * US, 200 * US, 200 * US};
        long[] sleeps = {500 * US, 500 * US, -1};
        List<TracedTask> tasks = new ArrayList<>();
        int[] recordedCpus = {5, 6, 7, 2};
        for (int i = 0; i < recordedCpus.length; i++) {
            tasks.add(new TracedTask(100 + i, 100 + i, "ksoftirqd/" + recordedCpus[i], 100, 1, recordedCpus[i],
                    i * US, runs, sleeps, new long[0]));
        }
        tasks.add(new TracedTask(200, 200, "make", 100, 8, -1, 0, new long[] {5 * MS}, new long[] {-1}, new long[0]));
        Trace eightCpus = new Trace(1, 8, "hand-made", 10 * MS, tasks);
        Workload w = Workload.fromTrace(eightCpus, "eight");
        assertEquals("the trace's CPUs by default", 8, w.cpus());
        SimulatedMachine m = new SimulatedMachine(w, SimOptions.builder().cpus(3).build());
        WatchingFifo fifo = new WatchingFifo(m, 1 * MS).runUntilExit();
        Map<Integer, Set<Integer>> byCpu = fifo.cpusOfPid;
        // pids are given in group order: ksoftirqd's four tasks first, in trace order
        int first = byCpu.keySet().stream().min(Integer::compare).orElseThrow();
        for (int i = 0; i < recordedCpus.length; i++) {
            assertEquals("recorded on CPU " + recordedCpus[i], Set.of(recordedCpus[i] % 3), byCpu.get(first + i));
            assertEquals(Set.of(1), fifo.allowedOfPid.get(first + i));
        }
        assertEquals(Set.of(3), fifo.allowedOfPid.get(first + 4));
        assertEquals(List.of("ksoftirqd", "make"), m.report().groups().stream().map(SimReport.GroupReport::name).toList());
    }

    @Test
    public void theSameSeedReplaysTheSameRun() throws Exception {
        String first = policyLikeRun(7);
        assertEquals(first, policyLikeRun(7));
    }

    @Test
    public void theReportShowsTheRecordedLatenciesNextToTheSimulatedOnes() throws Exception {
        SimulatedMachine m = machine(sleeperAmongHogs(), SimOptions.builder());
        new FifoDriver(m, 20 * MS).runUntilExit(Long.MAX_VALUE);
        SimReport r = m.report();
        assertEquals(List.of("cyclictest", "stress-ng-cpu"), r.recorded().stream().map(SimReport.RecordedGroup::name).toList());
        SimReport.RecordedGroup sleeper = r.recorded().get(0);
        assertEquals(BURSTS, sleeper.wakeups());
        // 10, 20, ... 400 us: the 20th value is the median, the 40th the 99th percentile (3 significant digits)
        assertEquals(200 * US, sleeper.p50Ns(), 200 * US / 1000.0);
        assertEquals(400 * US, sleeper.p99Ns(), 400 * US / 1000.0);
        assertEquals(3, r.recorded().get(1).wakeups());
        String table = r.toTable();
        assertTrue(table, table.contains("recorded on the traced machine"));
        String recordedPart = table.substring(table.indexOf("recorded on the traced machine"));
        String row = recordedPart.lines().filter(l -> l.startsWith("cyclictest ")).findFirst()
                .orElseThrow(() -> new AssertionError(table));
        assertTrue(row, row.contains(micros(sleeper.p50Ns()) + " " + micros(r.group("cyclictest").p50Ns())));
    }

    private static String micros(long ns) {
        return String.format(java.util.Locale.ROOT, "%10.1f", ns / 1000.0);
    }

    @Test
    public void workloadsThatAreNotTracesHaveNoRecordedFigures() throws Exception {
        SimulatedMachine m = new SimulatedMachine(Workload.load("server"), SimOptions.builder().durationMs(50).build());
        new FifoDriver(m, 0).runUntilExit(Long.MAX_VALUE);
        assertEquals(List.of(), m.report().recorded());
        assertTrue(!m.report().toTable().contains("recorded"));
    }

    /** The recorded scheduling thread is not replayed: the simulated machine runs (and costs) its own. */
    @Test
    public void theRecordedSchedulingThreadIsLeftOut() throws Exception {
        Trace recorded = sleeperAmongHogs();
        List<TracedTask> tasks = new java.util.ArrayList<>(recorded.tasks());
        tasks.add(new TracedTask(400, 399, "scx-scheduler", 100, 2, -1, 0, new long[] {MS, MS}, new long[] {MS, -1},
                new long[] {10_000}));
        Workload w = Workload.fromTrace(new Trace(1, recorded.cpus(), recorded.source(), recorded.durationNs(), tasks),
                "trace:/tmp/t.trace");
        assertEquals(List.of("cyclictest", "stress-ng-cpu"), w.groups().stream().map(Workload.Group::name).toList());
        assertTrue(w.description(), w.description().contains("1 scheduling thread left out"));
    }

    @Test
    public void aTraceWithoutATaskThatRanIsRefusedInOneSentence() {
        TracedTask woke = new TracedTask(1, 1, "x", 100, 1, 0, 0, new long[0], new long[0], new long[0]);
        try {
            Workload.fromTrace(new Trace(1, 2, "s", MS, List.of(woke)), "trace:/tmp/t.trace");
            fail();
        } catch (WorkloadException e) {
            assertEquals("trace:/tmp/t.trace holds no task that ran: record for longer, or while the machine does"
                    + " something.", e.getMessage());
        }
    }

    @Test
    public void traceColonWithoutAFileAndAnUnreadableFileAreOneSentence() {
        try {
            Workload.load("trace:");
            fail();
        } catch (WorkloadException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("The workload trace: names no file"));
        }
        try {
            Workload.load("trace:/no/such/file.trace");
            fail();
        } catch (WorkloadException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("/no/such/file.trace"));
            assertEquals(e.getMessage(), 1, e.getMessage().split("\\. ").length);
        }
    }

    @Test
    public void groupsAreTheNamesWithoutTrailingNumbers() {
        assertEquals("kworker", TraceGroups.groupName("kworker/1:2"));
        assertEquals("kworker", TraceGroups.groupName("kworker/u8:0"));
        assertEquals("stress-ng-cpu", TraceGroups.groupName("stress-ng-cpu"));
        assertEquals("cyclictest", TraceGroups.groupName("cyclictest"));
        assertEquals("pool-1-thread", TraceGroups.groupName("pool-1-thread-3"));
        assertEquals("C2_CompilerThre", TraceGroups.groupName("C2 CompilerThre"));
        assertEquals("1234", TraceGroups.groupName("1234"));
        assertEquals("task", TraceGroups.groupName(""));
    }

    /** The pid of the only task whose records say it may run on {@code allowed} CPUs. */
    private static int pidOf(SimulatedMachine m, WatchingFifo fifo, Set<Integer> allowed) {
        List<Integer> pids = fifo.allowedOfPid.entrySet().stream().filter(e -> e.getValue().equals(allowed))
                .map(Map.Entry::getKey).toList();
        assertEquals(fifo.allowedOfPid.toString(), 1, pids.size());
        return pids.get(0);
    }

    /** A run with idle-CPU picks and CPU_IDLE dispatches, as its report and clock. */
    private static String policyLikeRun(long seed) throws Exception {
        SimulatedMachine m = machine(sleeperAmongHogs(), SimOptions.builder().seed(seed).directIdleDispatch(true));
        QueuedTask q = new QueuedTask();
        DispatchedTask d = new DispatchedTask();
        ArrayDeque<QueuedTask> held = new ArrayDeque<>();
        long n = 0;
        while (!m.exited()) {
            while (m.dequeue(q)) {
                held.add(q);
                q = new QueuedTask();
            }
            while (!held.isEmpty()) {
                QueuedTask t = held.peek();
                int cpu = (n++ & 1) == 0 ? m.selectCpu(t.pid(), t.cpu(), t.flags()) : DispatchedTask.CPU_IDLE;
                if (!m.dispatch(d.prepare(t).cpu(cpu < 0 && cpu != DispatchedTask.CPU_IDLE ? DispatchedTask.CPU_ANY : cpu)
                        .sliceNs(3 * MS))) {
                    break;
                }
                held.poll();
            }
            m.notifyComplete(held.size());
        }
        return m.report() + " now " + m.now() + " runs " + m.taskRuns() + " events " + m.eventsProcessed();
    }
}
