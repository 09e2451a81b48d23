package com.example.scx.shortest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

public class ShortestFirstPolicyTest {

    /** Records every dispatch; its clock is set by the test. */
    static final class RecordingContext implements PolicyContext {
        final List<Integer> pids = new ArrayList<>();
        long now;
        boolean full;

        @Override public int nrCpus() { return 2; }
        @Override public long now() { return now; }
        @Override public int selectCpu(int pid, int prevCpu, long flags) { return -1; }
        @Override public boolean dispatch(DispatchedTask task) {
            if (full) {
                return false;
            }
            assertEquals("the order is the policy's, not a vtime", 0, task.vtime());
            pids.add(task.pid());
            return true;
        }
    }

    private static QueuedTask ran(int pid, long ranNs) {
        return new QueuedTask().pid(pid).startTs(1_000).stopTs(1_000 + ranNs).weight(100);
    }

    private static List<Integer> dispatchAll(ShortestFirstPolicy policy, RecordingContext ctx) {
        while (policy.heldTasks() > 0) {
            assertTrue(policy.dispatch());
        }
        return ctx.pids;
    }

    @Test
    public void theShortestLastRunGoesFirstEqualOnesInArrivalOrder() {
        ShortestFirstPolicy policy = new ShortestFirstPolicy();
        RecordingContext ctx = new RecordingContext();
        policy.activate(ctx);
        policy.enqueue(ran(1, 20_000_000));     // a compiler's slice
        policy.enqueue(ran(2, 300_000));        // an editor's keystroke
        policy.enqueue(ran(3, 5_000_000));
        policy.enqueue(ran(4, 300_000));
        assertEquals(List.of(2, 4, 3, 1), dispatchAll(policy, ctx));
    }

    @Test
    public void aTaskPassedOverForTooLongGoesFirst() {
        ShortestFirstPolicy policy = new ShortestFirstPolicy();
        RecordingContext ctx = new RecordingContext();
        policy.activate(ctx);
        policy.enqueue(ran(1, 20_000_000));
        ctx.now = ShortestFirstPolicy.MAX_WAIT_NS;
        policy.enqueue(ran(2, 1_000));
        assertEquals(List.of(1, 2), dispatchAll(policy, ctx));
    }

    @Test
    public void aFailedDispatchKeepsTheTaskAndHandBackReturnsEveryRecord() {
        ShortestFirstPolicy policy = new ShortestFirstPolicy();
        RecordingContext ctx = new RecordingContext();
        policy.activate(ctx);
        for (int pid = 1; pid <= 100; pid++) {   // past the first array's size
            policy.enqueue(ran(pid, pid));
        }
        ctx.full = true;
        assertFalse(policy.dispatch());
        assertEquals(100, policy.heldTasks());
        List<Integer> back = new ArrayList<>();
        policy.deactivate(t -> back.add(t.pid()));
        assertEquals(100, back.size());
        assertEquals(1, (int) back.get(0));
        assertEquals(0, policy.heldTasks());
    }
}
