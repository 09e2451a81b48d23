package com.example.scx.fair;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

public class FairPolicyTest {

    /** Records every dispatch (each leaves the idle-CPU pick to the kernel side). */
    static final class RecordingContext implements PolicyContext {
        final List<Integer> pids = new ArrayList<>();
        boolean full;

        @Override public int nrCpus() { return 2; }
        @Override public long now() { return 0; }
        @Override public int selectCpu(int pid, int prevCpu, long flags) { return -1; }
        @Override public boolean dispatch(DispatchedTask task) {
            if (full) {
                return false;
            }
            assertEquals(DispatchedTask.CPU_IDLE, task.cpu());
            pids.add(task.pid());
            return true;
        }
    }

    private static QueuedTask task(int pid, long vtime, long ranNs, long weight) {
        return new QueuedTask().pid(pid).vtime(vtime).startTs(1_000).stopTs(1_000 + ranNs).weight(weight);
    }

    @Test
    public void runsTasksInOrderOfWeightedRuntime() {
        FairPolicy policy = new FairPolicy();
        RecordingContext ctx = new RecordingContext();
        policy.activate(ctx);
        policy.enqueue(task(1, 10_000_000, 4_000_000, 100)); // 10 ms + 4 ms
        policy.enqueue(task(2, 10_000_000, 4_000_000, 400)); // 10 ms + 1 ms: heavier weight
        policy.enqueue(task(3, 12_000_000, 0, 100));         // 12 ms
        while (policy.heldTasks() > 0) {
            assertTrue(policy.dispatch());
        }
        assertEquals(List.of(2, 3, 1), ctx.pids);
    }

    @Test
    public void failedDispatchKeepsTheTaskAndHandBackReturnsTheRecord() {
        FairPolicy policy = new FairPolicy();
        RecordingContext ctx = new RecordingContext();
        policy.activate(ctx);
        QueuedTask original = task(7, 5, 100, 100).comm("game");
        policy.enqueue(original);
        ctx.full = true;
        assertEquals(false, policy.dispatch());
        assertEquals(1, policy.heldTasks());
        List<String> back = new ArrayList<>();
        policy.deactivate(t -> back.add(t.toString()));
        assertEquals(List.of(original.toString()), back);
        assertEquals(0, policy.heldTasks());
    }
}
