package org.scxjavaland.policy.fifo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

public class FifoPolicyTest {

    /** Scripted idle-CPU answers and a log of dispatches. */
    private static final class RecordingContext implements PolicyContext {
        final List<DispatchedTask> dispatched = new ArrayList<>();
        int idleCpu = -1;
        String lastSelectCpuCall;
        boolean refuseDispatches;

        @Override public int nrCpus() { return 2; }
        @Override public long now() { return 0; }

        @Override
        public int selectCpu(int pid, int prevCpu, long flags) {
            lastSelectCpuCall = pid + "/" + prevCpu + "/" + flags;
            return idleCpu;
        }

        @Override
        public boolean dispatch(DispatchedTask task) {
            if (refuseDispatches) {
                return false;
            }
            dispatched.add(new DispatchedTask().copyFrom(task));
            return true;
        }

        DispatchedTask last() {
            return dispatched.get(dispatched.size() - 1);
        }
    }

    private final RecordingContext context = new RecordingContext();
    private final FifoPolicy policy = new FifoPolicy();

    private static QueuedTask task(int pid) {
        return new QueuedTask().pid(pid).cpu(pid % 2).flags(pid * 2L).weight(100 + pid).vtime(1_000L * pid)
                .execRuntime(pid).enqCnt(pid + 7).comm("t" + pid);
    }

    @Before
    public void activate() {
        policy.activate(context);
    }

    @Test
    public void tasksAreDispatchedInArrivalOrderWhateverTheirTimes() {
        List<Integer> expected = new ArrayList<>();
        int pid = 0;
        // Interleave arrivals and dispatches so the ring wraps, and hold more than it starts with.
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 50; i++) {
                policy.enqueue(task(1_000 - pid));
                expected.add(1_000 - pid);
                pid++;
            }
            for (int i = 0; i < 30; i++) {
                assertTrue(policy.dispatch());
            }
        }
        while (policy.heldTasks() > 0) {
            assertTrue(policy.dispatch());
        }

        List<Integer> sent = new ArrayList<>();
        for (DispatchedTask task : context.dispatched) {
            sent.add(task.pid());
        }
        assertEquals(expected, sent);
    }

    @Test
    public void theKernelSidePicksTheIdleCpuWithoutASystemCallPerTask() {
        policy.enqueue(task(3));
        context.idleCpu = 1;

        policy.dispatch();

        assertEquals(DispatchedTask.CPU_IDLE, context.last().cpu());
        assertNull("selectCpu is not asked", context.lastSelectCpuCall);
    }

    @Test
    public void theSliceIsTheKernelDefaultUnlessConfiguredAndTheVtimeIsZero() {
        policy.enqueue(task(5));
        policy.enqueue(task(6));

        policy.dispatch();
        assertEquals(0, context.last().sliceNs());
        assertEquals(0, context.last().vtime());
        assertEquals(12, context.last().enqCnt());
        assertEquals(10, context.last().flags());

        policy.sliceUs(2_500);
        policy.dispatch();
        assertEquals(2_500_000L, context.last().sliceNs());
    }

    @Test
    public void aRefusedDispatchKeepsTheTaskFirst() {
        policy.enqueue(task(1));
        policy.enqueue(task(2));
        context.refuseDispatches = true;

        assertFalse(policy.dispatch());
        assertEquals(2, policy.heldTasks());

        context.refuseDispatches = false;
        assertTrue(policy.dispatch());
        assertEquals(1, context.last().pid());
    }

    @Test
    public void dispatchingWithNothingHeldSucceedsAndSendsNothing() {
        assertTrue(policy.dispatch());
        assertTrue(context.dispatched.isEmpty());
    }

    @Test
    public void deactivateHandsBackEveryRecordAsEnqueuedInArrivalOrder() {
        List<String> expected = new ArrayList<>();
        for (int pid = 100; pid > 0; pid--) {
            policy.enqueue(task(pid));
            expected.add(task(pid).toString());
        }
        policy.dispatch();
        expected.remove(0);

        List<String> handedBack = new ArrayList<>();
        policy.deactivate(t -> handedBack.add(t.toString()));

        assertEquals(expected, handedBack);
        assertEquals(0, policy.heldTasks());
    }

    @Test
    public void theSliceOptionIsValidated() {
        assertEquals(0, FifoPolicy.sliceUsFrom(Map.of()));
        assertEquals(2_500, FifoPolicy.sliceUsFrom(Map.of("slice_us", "2500")));
        assertEquals(7, FifoPolicy.sliceUsFrom(Map.of("slice_us", 7)));
        assertNull(policy.checkConfiguration(Map.of("slice_us", 0L)));
        assertEquals("slice_us must be between 0 (the kernel side's default) and 9223372036854775 microseconds, not -1.",
                policy.checkConfiguration(Map.of("slice_us", -1L)));
        assertEquals("slice_us must be a whole number of microseconds (0 for the kernel side's default), not 'short'.",
                policy.checkConfiguration(Map.of("slice_us", "short")));
        assertEquals(Map.of("slice_us", 0L), policy.configuration());
    }

    @Test
    public void theComponentAppliesAValidSliceLiveAndKeepsItOnAnInvalidOne() {
        FifoPolicyComponent component = new FifoPolicyComponent();
        component.start(Map.of("slice_us", 3_000L));
        assertEquals(3_000, component.sliceUs());

        component.configure(Map.of("slice_us", "three"));
        assertEquals(3_000, component.sliceUs());

        component.configure(Map.of());
        assertEquals(0, component.sliceUs());
    }
}
