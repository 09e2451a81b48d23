package org.scxjavaland.policy.deadline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/** Enqueue and dispatch are the scheduling path: once warm they must not allocate. */
public class DeadlinePolicyAllocationTest {
    private static final int HELD = 256;
    private static final int BATCH = 64;

    /** Counts dispatches without keeping them (a recording context would itself allocate). */
    private static final class CountingContext implements PolicyContext {
        long clock;
        long dispatches;

        @Override public int nrCpus() { return 4; }
        @Override public long now() { return clock++; }
        @Override public int selectCpu(int pid, int prevCpu, long flags) { return (pid & 1) == 0 ? -1 : prevCpu; }
        @Override public boolean dispatch(DispatchedTask task) { dispatches++; return true; }
    }

    private final DeadlinePolicy policy = new DeadlinePolicy();
    private final CountingContext context = new CountingContext();
    private final QueuedTask record = new QueuedTask().comm("worker");
    private int nextPid;

    private void rounds(int count) {
        for (int round = 0; round < count; round++) {
            for (int i = 0; i < BATCH; i++) {
                int pid = nextPid++;
                record.pid(pid).cpu(pid & 3).weight(50 + pid % 200).vtime(pid % 5 == 0 ? 0 : pid * 1_000L)
                        .startTs(pid * 10L).stopTs(pid * 10L + pid % 7_000).execRuntime(pid % 9_000);
                policy.enqueue(record);
            }
            for (int i = 0; i < BATCH; i++) {
                policy.dispatch();
            }
        }
    }

    @Test
    public void enqueueAndDispatchAllocateNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        policy.activate(context);
        for (int i = 0; i < HELD; i++) {
            policy.enqueue(record.pid(-1 - i).vtime(Long.MAX_VALUE / 2));
        }

        rounds(2_000);
        long before = threads.getThreadAllocatedBytes(thread);
        rounds(2_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals(HELD, policy.heldTasks());
        assertEquals(2L * 2_000 * BATCH, context.dispatches);
        assertTrue("allocated " + allocated + " bytes over " + 2_000 * BATCH + " tasks", allocated < 4096);
    }
}
