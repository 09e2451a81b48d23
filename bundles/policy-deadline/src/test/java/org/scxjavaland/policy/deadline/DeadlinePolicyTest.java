package org.scxjavaland.policy.deadline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

/**
 * Expected deadlines are worked out by hand in the comments, with the default options unless a
 * test says otherwise: slice_ns = 20 ms, slice_ns_min = 1 ms, so 100 slices = 2 s.
 */
public class DeadlinePolicyTest {
    private static final long MS = 1_000_000L;

    private final RecordingContext context = new RecordingContext();
    private DeadlinePolicy policy;

    @Before
    public void activate() {
        policy = new DeadlinePolicy();
        policy.activate(context);
    }

    /** A task that ran {@code usedNs} (stop - start) and has the given vtime and runtime since its last sleep. */
    private static QueuedTask task(int pid, long vtime, long usedNs, long execRuntime) {
        return new QueuedTask().pid(pid).cpu(pid % 4).nrCpusAllowed(4).flags(0).startTs(5 * MS).stopTs(5 * MS + usedNs)
                .execRuntime(execRuntime).weight(100).vtime(vtime).enqCnt(pid).comm("t" + pid);
    }

    private List<Long> dispatchAll() {
        List<Long> deadlines = new ArrayList<>();
        while (policy.heldTasks() > 0) {
            assertTrue(policy.dispatch());
            deadlines.add(context.last().vtime());
        }
        return deadlines;
    }

    private List<Integer> dispatchedPids() {
        List<Integer> pids = new ArrayList<>();
        for (DispatchedTask sent : context.dispatched) {
            pids.add(sent.pid());
        }
        return pids;
    }

    @Test
    public void aNewTaskStartsAtTheCurrentVruntime() {
        // A: vtime max(5 ms, 0 - 20 ms -> 0) = 5 ms, + 2 ms used = 7 ms; vruntime_now = 2 ms; deadline 7 + 2 = 9 ms.
        policy.enqueue(task(1, 5 * MS, 2 * MS, 2 * MS));
        // B, new: vtime = vruntime_now = 2 ms, used 0; deadline 2 ms.
        policy.enqueue(task(2, 0, 0, 0));
        // C, new: vtime = 2 ms + 1 ms used = 3 ms; vruntime_now = 3 ms; deadline 3 ms.
        policy.enqueue(task(3, 0, 1 * MS, 0));

        assertEquals(List.of(2 * MS, 3 * MS, 9 * MS), dispatchAll());
        assertEquals(List.of(2, 3, 1), dispatchedPids());
    }

    @Test
    public void aLongSleeperGainsAtMostOneSliceOfCredit() {
        // X: vtime max(1, 0) = 1, + 50 ms = 50 ms + 1; vruntime_now = 50 ms; deadline 50 ms + 1.
        policy.enqueue(task(1, 1, 50 * MS, 0));
        // S slept long (vtime 1000 ns): raised to 50 - 20 = 30 ms; deadline 30 ms.
        policy.enqueue(task(2, 1_000, 0, 0));
        // R slept briefly (vtime 40 ms, above the floor): keeps 40 ms.
        policy.enqueue(task(3, 40 * MS, 0, 0));

        assertEquals(List.of(30 * MS, 40 * MS, 50 * MS + 1), dispatchAll());
        assertEquals(List.of(2, 3, 1), dispatchedPids());
    }

    @Test
    public void weightScalesVruntimeInverselyAndTheSliceDirectly() {
        // Heavy (weight 200) used 10 ms: vslice 10 * 100 / 200 = 5 ms; vtime 1 + 5 ms; vruntime_now 5 ms.
        policy.enqueue(task(1, 1, 10 * MS, 0).weight(200));
        // Light (weight 50) used 10 ms: vslice 10 * 100 / 50 = 20 ms; vtime max(1, 5 - 20 -> 0) = 1, + 20 ms.
        policy.enqueue(task(2, 1, 10 * MS, 0).weight(50));

        assertEquals(List.of(5 * MS + 1, 20 * MS + 1), dispatchAll());
        // Slices: 1 ms * 200 / 100 = 2 ms, and 1 ms * 50 / 100 = 0.5 ms.
        assertEquals(2 * MS, context.dispatched.get(0).sliceNs());
        assertEquals(MS / 2, context.dispatched.get(1).sliceNs());
    }

    @Test
    public void runtimeSinceTheLastSleepCountsForAtMostOneHundredSlices() {
        policy.settings(new DeadlineSettings(10_000, 1_000, false)); // 100 slices = 1 s
        // vtime 1 and no time used for all; deadline = 1 + min(exec_runtime, 1 s).
        policy.enqueue(task(1, 1, 0, 5_000 * MS));  // capped: 1 s + 1
        policy.enqueue(task(2, 1, 0, 900 * MS));    // 900 ms + 1
        policy.enqueue(task(3, 1, 0, 3_000 * MS));  // capped: 1 s + 1, enqueued after pid 1

        assertEquals(List.of(900 * MS + 1, 1_000 * MS + 1, 1_000 * MS + 1), dispatchAll());
        assertEquals(List.of(2, 1, 3), dispatchedPids());
    }

    @Test
    public void equalDeadlinesGoByEnqueueTimeThenByPid() {
        // Same vtime, nothing used, same runtime: every deadline is 7 ms.
        context.tick = 0;
        policy.enqueue(task(30, 7 * MS, 0, 0));
        policy.enqueue(task(10, 7 * MS, 0, 0));
        context.clock += 5;
        policy.enqueue(task(5, 7 * MS, 0, 0));   // later timestamp: last despite the smallest pid
        policy.enqueue(task(20, 7 * MS, 0, 0));

        dispatchAll();
        assertEquals(List.of(10, 30, 5, 20), dispatchedPids());
    }

    @Test
    public void perCpuLocalSendsEachTaskToItsOwnCpuWithoutAskingForAnIdleOne() {
        policy.settings(new DeadlineSettings(20_000, 1_000, true));
        context.idleCpu = 0;
        policy.enqueue(task(7, 1, 0, 0).cpu(3));

        policy.dispatch();

        assertEquals(3, context.last().cpu());
        assertEquals(0, context.selectCpuCalls);
    }

    @Test
    public void theKernelSidePicksTheIdleCpuWithoutASystemCallPerTask() {
        policy.enqueue(task(7, 1, 0, 0).cpu(3).flags(8));
        context.idleCpu = 2;

        policy.dispatch();

        assertEquals(DispatchedTask.CPU_IDLE, context.last().cpu());
        assertEquals(0, context.selectCpuCalls);
    }

    @Test
    public void theDispatchCarriesTheTaskIdentityAndEnqueueCounter() {
        policy.enqueue(task(42, 1, 0, 0).flags(0x20).enqCnt(777));
        policy.dispatch();

        DispatchedTask sent = context.last();
        assertEquals(42, sent.pid());
        assertEquals(0x20, sent.flags());
        assertEquals(777, sent.enqCnt());
        assertEquals(MS, sent.sliceNs());
    }

    @Test
    public void aRefusedDispatchKeepsTheTaskAndEndsTheRound() {
        policy.enqueue(task(1, 1 * MS, 0, 0));
        policy.enqueue(task(2, 2 * MS, 0, 0));
        context.refuseDispatches = true;

        assertFalse(policy.dispatch());
        assertEquals(2, policy.heldTasks());

        context.refuseDispatches = false;
        assertTrue(policy.dispatch());
        assertEquals(1, context.last().pid());
        assertEquals(1 * MS, context.last().vtime());
        assertEquals(1, policy.heldTasks());
    }

    @Test
    public void dispatchingWithNothingHeldSucceedsAndSendsNothing() {
        assertTrue(policy.dispatch());
        assertTrue(context.dispatched.isEmpty());
    }

    @Test
    public void deactivateHandsBackEveryRecordAsEnqueuedInDispatchOrder() {
        QueuedTask late = task(1, 9 * MS, 3 * MS, 4 * MS);
        QueuedTask early = task(2, 0, 1 * MS, 0);
        QueuedTask middle = task(3, 6 * MS, 0, 0).weight(300).comm("middle");
        policy.enqueue(late);
        policy.enqueue(early);
        policy.enqueue(middle);

        List<String> handedBack = new ArrayList<>();
        policy.deactivate(t -> handedBack.add(t.toString()));

        assertEquals(List.of(early.toString(), middle.toString(), late.toString()), handedBack);
        assertEquals(0, policy.heldTasks());
        assertTrue(context.dispatched.isEmpty());
    }

    @Test
    public void theVirtualClockSurvivesDeactivateAndActivate() {
        policy.enqueue(task(1, 1, 10 * MS, 0)); // vruntime_now = 10 ms
        policy.deactivate(t -> { });
        policy.activate(context);

        policy.enqueue(task(2, 0, 0, 0)); // new task: starts at 10 ms
        policy.dispatch();

        assertEquals(10 * MS, context.last().vtime());
    }

    @Test
    public void newOptionsApplyFromTheNextDispatch() {
        policy.enqueue(task(1, 1, 0, 0));
        policy.settings(new DeadlineSettings(20_000, 2_000, false));
        policy.dispatch();

        assertEquals(2 * MS, context.last().sliceNs());
    }

    @Test
    public void enqueueDoesNotTouchTheCallersRecord() {
        QueuedTask record = task(1, 3 * MS, 2 * MS, 0);
        String before = record.toString();
        policy.enqueue(record);
        assertEquals(before, record.toString());
    }
}
