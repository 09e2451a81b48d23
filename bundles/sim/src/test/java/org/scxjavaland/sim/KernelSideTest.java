package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.scxjavaland.sim.Machines.MS;
import static org.scxjavaland.sim.Machines.US;
import static org.scxjavaland.sim.Machines.machine;
import static org.scxjavaland.sim.Machines.take;
import static org.scxjavaland.sim.Machines.to;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/** The BPF side's behaviours, each driven by hand-written KernelLink calls. */
public class KernelSideTest {

    /** One task that runs 1 ms, sleeps 5 ms, first wakes at {@code startUs}. */
    private static String[] oneTask(int cpus, long startUs, String... extra) {
        String[] base = {"cpus=" + cpus, "group.a.run_us=1000", "group.a.sleep_us=5000", "group.a.jitter=0",
            "group.a.start_us=" + startUs, "group.a.comm=alpha"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    public void aWakingTaskIsQueuedWithItsRecord() throws Exception {
        SimulatedMachine m = machine(oneTask(2, 300));
        assertFalse("nothing is queued before the first round", m.dequeue(new QueuedTask()));

        m.notifyComplete(0);

        assertEquals("an idle round jumps to the first wakeup", 300 * US, m.now());
        assertEquals(1, m.counters().nrQueued());
        QueuedTask q = take(m);
        assertEquals(1000, q.pid());
        assertEquals("alpha", q.comm());
        assertEquals(1, q.enqCnt());
        assertEquals("never dispatched", 0, q.vtime());
        assertEquals(100, q.weight());
        assertEquals(2, q.nrCpusAllowed());
        assertEquals(SimulatedMachine.ENQ_WAKEUP, q.flags());
        assertEquals(0, q.execRuntime());
        assertFalse(m.dequeue(new QueuedTask()));
    }

    @Test
    public void theRecordKeepsRunTimesAndTheVtimeOfTheLastDispatch() throws Exception {
        SimulatedMachine m = machine(oneTask(1, 0));
        m.notifyComplete(0);
        QueuedTask q = take(m);

        assertTrue(m.dispatch(to(q, 0).vtime(777)));
        m.notifyComplete(0);
        // The round cost 2 us, then the task ran its 1 ms burst and went to sleep for 5 ms.
        assertEquals(1, m.counters().nrUserDispatches());
        m.notifyComplete(0);

        assertEquals(2 * US + 1 * MS + 5 * MS, m.now());
        QueuedTask again = take(m);
        assertEquals(2 * US, again.startTs());
        assertEquals(2 * US + 1 * MS, again.stopTs());
        assertEquals("reset when the task woke up", 0, again.execRuntime());
        assertEquals(777, again.vtime());
        assertEquals(2, again.enqCnt());
        assertEquals(0, again.cpu());
    }

    @Test
    public void execRuntimeAddsUpWhileTheTaskDoesNotSleep() throws Exception {
        SimulatedMachine m = machine("cpus=1", "group.hog.count=2", "group.hog.run_us=-1", "group.hog.start_us=0");
        m.notifyComplete(0);
        QueuedTask a = take(m);
        QueuedTask b = take(m);
        m.dispatch(to(a, 0).sliceNs(1 * MS).vtime(5));
        m.dispatch(to(b, DispatchedTask.CPU_ANY).sliceNs(1 * MS).vtime(6));
        m.notifyComplete(0);

        // a ran from 2 us to its slice end, b was waiting: a is preempted and queued again.
        QueuedTask a2 = take(m);
        assertEquals(a.pid(), a2.pid());
        assertEquals("a preemption is no wakeup", 0, a2.flags());
        assertEquals(2 * US, a2.startTs());
        assertEquals(2 * US + 1 * MS, a2.stopTs());
        assertEquals(1 * MS, a2.execRuntime());
        assertEquals(5, a2.vtime());
        assertEquals(2, a2.enqCnt());

        m.dispatch(to(a2, DispatchedTask.CPU_ANY).sliceNs(1 * MS).vtime(7));
        m.notifyComplete(0);
        QueuedTask b2 = take(m);
        assertEquals(b.pid(), b2.pid());
        m.dispatch(to(b2, DispatchedTask.CPU_ANY).sliceNs(1 * MS));
        m.notifyComplete(0);

        QueuedTask a3 = take(m);
        assertEquals(a.pid(), a3.pid());
        assertEquals("two stints of 1 ms without sleeping", 2 * MS, a3.execRuntime());
        assertEquals(a3.stopTs() - 1 * MS, a3.startTs());
    }

    @Test
    public void aSliceIsRefilledWhenNothingElseWaits() throws Exception {
        SimulatedMachine m = machine("cpus=1", "group.hog.run_us=-1", "group.hog.start_us=0");
        m.notifyComplete(0);
        m.dispatch(to(take(m), 0).sliceNs(1 * MS));
        for (int i = 0; i < 10; i++) {
            m.notifyComplete(0);
        }
        assertTrue("ten idle rounds went past many slice ends", m.now() > 100 * MS);
        assertFalse("the hog kept its CPU without going back to user space", m.dequeue(new QueuedTask()));
        assertEquals(1, m.counters().nrRunning());
        assertEquals(1, m.taskRuns());
    }

    @Test
    public void aDispatchWithAnOlderEnqCntIsCancelled() throws Exception {
        SimulatedMachine m = machine("cpus=1", "group.hog.count=2", "group.hog.run_us=-1", "group.hog.start_us=0");
        m.notifyComplete(0);
        QueuedTask first = take(m);
        QueuedTask other = take(m);
        m.dispatch(to(first, 0).sliceNs(1 * MS));
        m.dispatch(to(other, 0).sliceNs(1 * MS));
        m.notifyComplete(0);
        QueuedTask requeued = take(m); // first, preempted at its slice end: enq_cnt 2
        assertEquals(first.pid(), requeued.pid());
        assertEquals(2, requeued.enqCnt());

        assertTrue(m.dispatch(to(first, 0))); // the stale record, enq_cnt 1
        m.notifyComplete(0);
        LinkCounters c = m.counters();
        assertEquals(1, c.nrCancelDispatches());
        assertEquals("a cancelled dispatch is not a user dispatch", 2, c.nrUserDispatches());

        assertTrue(m.dispatch(to(requeued, 0)));
        m.notifyComplete(0);
        assertEquals(1, m.counters().nrCancelDispatches());
    }

    @Test
    public void aDispatchForAnUnknownTaskFailsAndOneForATaskNotWaitingIsCancelled() throws Exception {
        SimulatedMachine m = machine(oneTask(1, 0));
        m.notifyComplete(0);
        QueuedTask q = take(m);

        m.dispatch(new DispatchedTask().pid(4242).cpu(DispatchedTask.CPU_ANY).enqCnt(1));
        m.dispatch(to(q, 0));
        m.dispatch(to(q, 0)); // the same task again: no longer waiting for user space
        m.notifyComplete(0);

        LinkCounters c = m.counters();
        assertEquals(1, c.nrFailedDispatches());
        assertEquals(1, c.nrCancelDispatches());
        assertEquals(1, c.nrUserDispatches());
        assertEquals(1, m.report().group("a").latencySamples());
    }

    @Test
    public void aCpuTheTaskMayNotUseBouncesToTheSharedQueue() throws Exception {
        SimulatedMachine m = machine(oneTask(4, 0, "group.a.affinity=0-1"));
        m.notifyComplete(0);
        QueuedTask q = take(m);
        assertEquals(2, q.nrCpusAllowed());

        m.dispatch(to(q, 3));
        m.notifyComplete(0); // runs, finishes its burst

        assertEquals(1, m.counters().nrBounceDispatches());
        assertEquals(1, m.report().group("a").latencySamples());
        m.notifyComplete(0);
        QueuedTask again = take(m);
        assertTrue("ran on an allowed CPU, not " + again.cpu(), again.cpu() == 0 || again.cpu() == 1);

        m.dispatch(to(again, 99)); // not a CPU at all
        m.notifyComplete(0);
        assertEquals(2, m.counters().nrBounceDispatches());
        assertEquals(2, m.report().group("a").latencySamples());
    }

    @Test
    public void aPinnedTaskRunsOnItsOnlyCpuWhateverUserSpaceSays() throws Exception {
        SimulatedMachine m = machine(oneTask(4, 0, "group.a.affinity=2"));
        m.notifyComplete(0);
        QueuedTask q = take(m);
        assertEquals(1, q.nrCpusAllowed());

        m.dispatch(to(q, 0));
        m.notifyComplete(0);
        m.notifyComplete(0);

        assertEquals(1, m.counters().nrBounceDispatches());
        assertEquals(2, take(m).cpu());
    }

    @Test
    public void cpuAnyGoesToTheSharedQueueWhereAnyIdleCpuTakesIt() throws Exception {
        String[] workload = {"cpus=2", "group.hog.run_us=-1", "group.hog.start_us=0",
            "group.b.run_us=1000", "group.b.sleep_us=5000", "group.b.start_us=0", "group.b.jitter=0"};

        SimulatedMachine perCpu = machine(workload);
        perCpu.notifyComplete(0);
        QueuedTask hog = take(perCpu);
        QueuedTask b = take(perCpu);
        perCpu.dispatch(to(hog, 0));
        perCpu.dispatch(to(b, 0));
        perCpu.notifyComplete(0);
        perCpu.notifyComplete(0);
        assertEquals("b waited on CPU 0's queue for the hog's 20 ms slice although CPU 1 was idle",
                2 * US + 20 * MS, perCpu.report().group("b").maxNs(), 20 * US);

        SimulatedMachine shared = machine(workload);
        shared.notifyComplete(0);
        hog = take(shared);
        b = take(shared);
        shared.dispatch(to(hog, 0));
        shared.dispatch(to(b, DispatchedTask.CPU_ANY));
        shared.notifyComplete(0);
        assertEquals(0, shared.counters().nrBounceDispatches());
        assertEquals("b ran at once on the idle CPU", 2 * US, shared.report().group("b").maxNs());
        shared.notifyComplete(0);
        assertEquals(1, take(shared).cpu());
    }

    @Test
    public void aPerCpuQueueRunsTasksInVtimeOrder() throws Exception {
        SimulatedMachine m = machine("cpus=1",
                "group.first.run_us=10000", "group.first.sleep_us=1000000", "group.first.start_us=0",
                "group.first.jitter=0",
                "group.x.count=3", "group.x.run_us=1000", "group.x.sleep_us=1000000", "group.x.start_us=100",
                "group.x.jitter=0");
        m.notifyComplete(0);
        m.dispatch(to(take(m), 0));
        m.notifyComplete(0); // first runs; the clock jumps to the three wakeups at 100 us
        long[] vtimes = {30, 10, 20};
        int[] pids = new int[3];
        for (int i = 0; i < 3; i++) {
            QueuedTask x = take(m);
            pids[i] = x.pid();
            m.dispatch(to(x, 0).vtime(vtimes[i]));
        }
        Map<Integer, Long> startedAt = new HashMap<>();
        for (int round = 0; round < 100 && startedAt.size() < 3; round++) {
            m.notifyComplete(0);
            QueuedTask q = new QueuedTask();
            while (m.dequeue(q)) {
                if (q.pid() != pids[0] && q.pid() != pids[1] && q.pid() != pids[2]) {
                    continue;
                }
                startedAt.put(q.pid(), q.startTs());
            }
        }
        assertEquals(3, startedAt.size());
        long firstDone = 2 * US + 10 * MS;
        assertEquals("vtime 10 first", firstDone, (long) startedAt.get(pids[1]));
        assertEquals("then vtime 20", firstDone + 1 * MS, (long) startedAt.get(pids[2]));
        assertEquals("then vtime 30", firstDone + 2 * MS, (long) startedAt.get(pids[0]));
    }

    @Test
    public void aFullQueuedRingMakesTheKernelSideDispatchItself() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().queuedCapacity(1),
                "cpus=4", "group.a.count=3", "group.a.run_us=1000", "group.a.sleep_us=5000", "group.a.start_us=0");
        m.notifyComplete(0);

        LinkCounters c = m.counters();
        assertEquals(1, c.nrQueued());
        assertEquals(2, c.nrSchedCongested());
        assertEquals(2, c.nrKernelDispatches());
        assertEquals("the congested tasks run from the shared queue", 2, c.nrRunning());
    }

    @Test
    public void dispatchReturnsFalseWhenTheDispatchedRingIsFull() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().dispatchedCapacity(2), oneTask(1, 0));
        m.notifyComplete(0);
        QueuedTask q = take(m);

        assertTrue(m.dispatch(to(q, 0)));
        assertTrue(m.dispatch(to(q, 0)));
        assertFalse(m.dispatch(to(q, 0)));
        assertEquals("refused, it never reached the kernel side: nothing counts it", 0,
                m.counters().nrFailedDispatches());

        m.notifyComplete(0); // drains the ring
        assertTrue(m.dispatch(to(q, 0)));
    }

    @Test
    public void perCpuKthreadsAreDispatchedByTheKernelSide() throws Exception {
        SimulatedMachine m = machine("cpus=3", "group.k.kthread=true", "group.k.run_us=50", "group.k.sleep_us=1000",
                "group.k.start_us=0", "group.k.comm=ksoftirqd");
        m.notifyComplete(0);

        LinkCounters c = m.counters();
        assertEquals(3, c.nrKernelDispatches());
        assertEquals(0, c.nrQueued());
        assertEquals("one kthread on each CPU", 3, c.nrRunning());
        assertFalse(m.dequeue(new QueuedTask()));
        assertEquals(0, m.report().group("k").maxNs());
    }

    @Test
    public void affinityIsRespected() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().durationMs(500),
                "cpus=4", "group.pinned.count=4", "group.pinned.run_us=-1", "group.pinned.affinity=2-3",
                "group.free.count=4", "group.free.run_us=-1");
        QueuedTask q = new QueuedTask();
        DispatchedTask d = new DispatchedTask();
        int target = 0;
        while (!m.exited()) {
            while (m.dequeue(q)) {
                if (q.pid() < 1004) {
                    assertTrue("pinned task ran on CPU " + q.cpu(), q.cpu() == 2 || q.cpu() == 3);
                }
                // Ask for every CPU in turn: the disallowed ones bounce.
                m.dispatch(d.prepare(q).cpu(target++ % 4).sliceNs(1 * MS));
            }
            m.notifyComplete(0);
        }
        SimReport r = m.report();
        assertTrue(r.counters().nrBounceDispatches() > 0);
        assertTrue("at most two CPUs' worth", r.group("pinned").cpuNs() <= 2 * r.elapsedNs());
        assertTrue(r.group("pinned").cpuNs() > 0);
    }

    @Test
    public void selectCpuReturnsAnIdleAllowedCpuPreferringThePreviousOne() throws Exception {
        SimulatedMachine m = machine("cpus=4",
                "group.a.run_us=1000", "group.a.sleep_us=5000", "group.a.start_us=1000",
                "group.p.run_us=1000", "group.p.sleep_us=5000", "group.p.start_us=1000", "group.p.affinity=3");
        int a = 1000;
        int p = 1001;
        assertEquals(2, m.selectCpu(a, 2, 0));
        assertEquals("2 is taken this round: the next idle one", 3, m.selectCpu(a, 2, 0));
        assertEquals("its only CPU is taken", -1, m.selectCpu(p, 0, 0));
        assertEquals("unknown pid", -1, m.selectCpu(4242, 0, 0));

        m.notifyComplete(0); // nothing was dispatched there: the CPUs are idle again
        assertEquals(3, m.selectCpu(p, 0, 0));
    }

    @Test
    public void selectCpuFindsNothingWhenEveryCpuIsBusy() throws Exception {
        SimulatedMachine m = machine("cpus=2", "group.hog.count=2", "group.hog.run_us=-1", "group.hog.start_us=0",
                "group.a.run_us=1000", "group.a.sleep_us=5000", "group.a.start_us=1000");
        m.notifyComplete(0);
        m.dispatch(to(take(m), DispatchedTask.CPU_ANY));
        m.dispatch(to(take(m), DispatchedTask.CPU_ANY));
        m.notifyComplete(0);
        assertEquals(2, m.counters().nrRunning());
        assertEquals(-1, m.selectCpu(1002, 0, 0));
    }

    @Test
    public void bypassDispatchesNewlyRunnableTasksInTheKernelSide() throws Exception {
        SimulatedMachine m = machine(oneTask(1, 0));
        m.setBypass(true);
        m.notifyComplete(0);
        assertFalse(m.dequeue(new QueuedTask()));
        assertEquals(1, m.counters().nrKernelDispatches());
        assertEquals(1, m.counters().nrRunning());

        m.setBypass(false);
        m.notifyComplete(0); // burst done, asleep
        m.notifyComplete(0); // wakes again
        assertEquals(1000, take(m).pid());
    }

    @Test
    public void withDirectIdleDispatchAWakeupThatFindsAnIdleCpuSkipsUserSpace() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().directIdleDispatch(true),
                "cpus=1", "group.a.count=2", "group.a.run_us=1000", "group.a.sleep_us=5000", "group.a.start_us=0");
        m.notifyComplete(0);
        LinkCounters c = m.counters();
        assertEquals("the first one found the CPU idle", 1, c.nrKernelDispatches());
        assertEquals(1, c.nrRunning());
        assertEquals("the second one goes to user space", 1, c.nrQueued());
    }

    @Test
    public void aTaskLeftWaitingTooLongTriggersTheWatchdog() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().watchdogNs(50 * MS), oneTask(1, 0));
        m.notifyComplete(0);
        take(m); // and never dispatched
        for (int i = 0; i < 1_000_000 && !m.exited(); i++) {
            m.notifyComplete(1); // user space says it holds the task, and never dispatches it
        }
        assertTrue(m.exited());
        assertTrue(m.exitReason(), m.exitReason().contains("watchdog"));
        assertTrue(m.exitReason(), m.exitReason().contains("1000"));
    }

    @Test
    public void theMachineExitsAtTheEndOfItsDuration() throws Exception {
        SimulatedMachine m = machine(SimOptions.builder().freeScheduler().durationMs(10), oneTask(2, 0));
        assertNull(m.exitReason());
        new FifoDriver(m, 0).runUntilExit(1_000_000);
        assertTrue(m.exited());
        assertEquals(10 * MS, m.now());
        assertTrue(m.exitReason(), m.exitReason().contains("10 ms"));
        long runs = m.taskRuns();
        m.notifyComplete(0);
        assertEquals("an exited machine does not move", 10 * MS, m.now());
        assertEquals(runs, m.taskRuns());
    }

    @Test
    public void loadingAnotherWorkloadFailsTheDispatchesOfWhatUserSpaceStillHolds() throws Exception {
        SimulatedMachine m = machine(oneTask(1, 0));
        m.notifyComplete(0);
        QueuedTask held = take(m);

        m.loadWorkload(Workload.parse("Test workload", "second", String.join("\n",
                "group.b.count=2", "group.b.run_us=500", "group.b.sleep_us=2000")));
        assertEquals("second", m.workloadName());
        m.dispatch(to(held, 0));
        m.notifyComplete(1);

        assertEquals("its task is gone, as if it had exited", 1, m.counters().nrFailedDispatches());
        SimReport r = m.report();
        assertEquals("second", r.workload());
        assertNotNull(r.group("b"));
        assertNull(r.group("a"));
        new FifoDriver(m, 0).runUntilExit(200);
        QueuedTask q = new QueuedTask();
        m.notifyComplete(0);
        while (m.dequeue(q)) {
            assertTrue("new pids do not reuse old ones: " + q.pid(), q.pid() >= 2000);
        }
    }

    /** A hog and a sleeper (100 us of work, 2 ms of sleep) on one CPU, both dispatched once. */
    private static SimulatedMachine hogAndSleeper(boolean wakeDirect, long sleeperVtime) throws Exception {
        SimulatedMachine m = machine("cpus=1", "group.hog.run_us=-1", "group.hog.start_us=0",
                "group.s.run_us=100", "group.s.sleep_us=2000", "group.s.jitter=0", "group.s.start_us=0");
        m.notifyComplete(0);
        QueuedTask hog = take(m);
        QueuedTask sleeper = take(m);
        m.dispatch(to(sleeper, 0).sliceNs(1 * MS).vtime(sleeperVtime).wakeDirect(wakeDirect));
        m.dispatch(to(hog, DispatchedTask.CPU_ANY).sliceNs(100 * MS).vtime(1_000 * MS));
        m.notifyComplete(0);
        return m;
    }

    @Test
    public void aTaskAllowedToWakeDirectlyPreemptsALaterTaskWithoutUserSpaceUntilItUsedItsSlice() throws Exception {
        SimulatedMachine m = hogAndSleeper(true, 5 * MS);
        long kernelBefore = m.counters().nrKernelDispatches();

        // Its first run, then 9 wake-ups 2.1 ms apart, 100 us each, within its 1 ms slice: none comes
        // to user space; the tenth (at 21 ms, 1 ms used) does.
        QueuedTask back = null;
        while (back == null && m.now() < 60 * MS) {
            m.notifyComplete(0);
            QueuedTask q = new QueuedTask();
            if (m.dequeue(q)) {
                back = q;
            }
        }
        assertEquals("each wake-up within the slice ran in place of the hog, which went back to its CPU's"
                + " local queue (requeue_preempted): two kernel dispatches each", 2 * 9,
                m.counters().nrKernelDispatches() - kernelBefore);
        assertEquals(21 * MS + 2 * US, m.now());
        assertNotNull("the wake-up after the slice was used came to user space", back);
        assertEquals(SimulatedMachine.ENQ_WAKEUP, back.flags());
        assertEquals("ten runs of 100 us since the last record", 1 * MS, back.stopTs() - back.startTs());
    }

    @Test
    public void withoutThePermitEveryWakeUpGoesToUserSpace() throws Exception {
        SimulatedMachine m = hogAndSleeper(false, 5 * MS);
        m.notifyComplete(0);
        while (m.counters().nrQueued() == 0 && m.now() < 60 * MS) {
            m.notifyComplete(0);
        }
        QueuedTask q = take(m);
        assertEquals(SimulatedMachine.ENQ_WAKEUP, q.flags());
        assertEquals("one run since the last record", 100 * US, q.stopTs() - q.startTs());
    }

    @Test
    public void aWakingTaskDoesNotPreemptATaskWhoseVtimeIsWithinItsSlice() throws Exception {
        // The sleeper's vtime is later than the hog's minus 1 ms: they are alike, the hog keeps its CPU.
        SimulatedMachine m = hogAndSleeper(true, 1_000 * MS - 500 * US);
        while (m.counters().nrQueued() == 0 && m.now() < 60 * MS) {
            m.notifyComplete(0);
        }
        assertEquals("the wake-up went to user space", SimulatedMachine.ENQ_WAKEUP, take(m).flags());
    }

    @Test
    public void aTaskPreemptedByDirectWakeUpsKeepsOnlyWhatWasLeftOfItsSlice() throws Exception {
        // One CPU: a hog with a 3 ms slice, a second hog waiting behind it, and a sleeper allowed to
        // wake directly every 1 ms (100 us of work), which preempts the first hog each time.
        SimulatedMachine m = machine("cpus=1", "group.hog.count=2", "group.hog.run_us=-1", "group.hog.start_us=0",
                "group.s.run_us=100", "group.s.sleep_us=900", "group.s.jitter=0", "group.s.start_us=0");
        m.notifyComplete(0);
        QueuedTask first = take(m);
        QueuedTask second = take(m);
        QueuedTask sleeper = take(m);
        m.dispatch(to(sleeper, 0).sliceNs(1 * MS).vtime(1 * MS).wakeDirect(true));
        m.dispatch(to(first, 0).sliceNs(3 * MS).vtime(1_000 * MS));
        m.dispatch(to(second, DispatchedTask.CPU_ANY).sliceNs(3 * MS).vtime(2_000 * MS));
        QueuedTask back = null;
        while (back == null && m.now() < 100 * MS) {
            m.notifyComplete(0);
            QueuedTask q = new QueuedTask();
            while (back == null && m.dequeue(q)) {
                if (q.pid() == first.pid()) {
                    back = q;
                }
            }
        }
        // Its 3 ms of CPU, plus the sleeper's runs between its stints: it goes back to the policy
        // then, not after a fresh slice at each preemption (which would keep the second hog waiting).
        assertNotNull("the preempted hog went back to the policy once its slice was used", back);
        assertEquals("charged its 3 ms slice", 3 * MS, back.stopTs() - back.startTs());
        assertTrue("at " + m.now(), m.now() < 5 * MS);
    }
}
