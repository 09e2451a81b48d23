package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scxjavaland.sim.Machines.machine;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;
import org.scxjavaland.sim.machine.SimulatedMachine;

/**
 * The simulated machine reports every task's state changes as the BPF side does, while a
 * recording is on: each task wakes, runs (preempted now and then) and sleeps in that order, on the
 * virtual clock. Off by default (the golden runs pin that nothing changes then).
 */
public class TaskEventRecordingTest {

    /** What one task's events looked like. */
    private static final class Seen {
        String comm;
        int wakes;
        int sleeps;
        int runs;
        int lastKind;
        long lastTs = -1;
        int outOfOrder;
    }

    @Test
    public void everyTaskWakesRunsAndSleepsInOrderWhileRecording() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().durationMs(200), "cpus=2",
                "group.sleeper.run_us=200", "group.sleeper.sleep_us=5000", "group.sleeper.start_us=0",
                "group.hog.count=2", "group.hog.run_us=-1", "group.hog.start_us=0");
        TaskEventSource events = m.recordTaskEvents();
        Map<Integer, Seen> tasks = new HashMap<>();
        FifoDriver driver = new FifoDriver(m, 0);
        long drained = 0;
        while (!m.exited()) {
            driver.round();
            drained += events.drain((kind, ts, pid, tgid, cpu, weight, nrCpusAllowed, comm) -> {
                Seen s = tasks.computeIfAbsent(pid, p -> new Seen());
                s.comm = new String(comm, StandardCharsets.UTF_8).trim().replace("\0", "");
                boolean follows = switch (kind) {
                    case TaskEventSink.KIND_WAKE -> s.lastKind == 0 || s.lastKind == TaskEventSink.KIND_SLEEP;
                    case TaskEventSink.KIND_RUNNING -> s.lastKind == TaskEventSink.KIND_WAKE
                            || s.lastKind == TaskEventSink.KIND_PREEMPTED;
                    default -> s.lastKind == TaskEventSink.KIND_RUNNING;
                };
                s.outOfOrder += follows ? 0 : 1;
                s.outOfOrder += ts < s.lastTs ? 1 : 0;
                s.wakes += kind == TaskEventSink.KIND_WAKE ? 1 : 0;
                s.sleeps += kind == TaskEventSink.KIND_SLEEP ? 1 : 0;
                s.runs += kind == TaskEventSink.KIND_RUNNING ? 1 : 0;
                s.lastKind = kind;
                s.lastTs = ts;
            }, 4096);
        }
        events.close();
        assertTrue(drained > 0);
        assertEquals(0, events.dropped());
        assertEquals(3, tasks.size());
        for (Seen s : tasks.values()) {
            assertEquals(s.comm, 0, s.outOfOrder);
        }
        Seen sleeper = tasks.values().stream().filter(s -> s.comm.equals("sleeper")).findFirst().orElseThrow();
        // 200 ms of 5 ms sleeps, each wake-up waiting behind two hogs for a slice to end: about ten
        // wake-ups, each ending in a sleep.
        assertTrue(sleeper.wakes + " wakes", sleeper.wakes >= 5);
        assertTrue(Math.abs(sleeper.wakes - sleeper.sleeps) <= 1);
        long hogs = tasks.values().stream().filter(s -> s.comm.equals("hog")).count();
        assertEquals(2, hogs);
    }

    @Test
    public void closingTheRecordingStopsTheEventsAndAnotherMayBegin() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().durationMs(50), "cpus=1", "group.hog.run_us=-1",
                "group.hog.start_us=0", "group.b.run_us=100", "group.b.sleep_us=1000", "group.b.start_us=0");
        TaskEventSource first = m.recordTaskEvents();
        FifoDriver driver = new FifoDriver(m, 0);
        for (int i = 0; i < 20; i++) {
            driver.round();
        }
        first.close();
        int before = first.drain((kind, ts, pid, tgid, cpu, weight, nrCpusAllowed, comm) -> { }, Integer.MAX_VALUE);
        assertTrue(before > 0);
        driver.runUntilExit(1_000_000);
        assertEquals(0, first.drain((kind, ts, pid, tgid, cpu, weight, nrCpusAllowed, comm) -> { }, Integer.MAX_VALUE));
        TaskEventSource second = m.recordTaskEvents();
        second.close();
    }
}
